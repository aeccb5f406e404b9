namespace SovereignTrajectories.Relays.Publishing;

/// <summary>Every write relay's outcome for one event, and whether at least <see cref="Quorum"/> of them accepted it.</summary>
public sealed record PublishResult(string EventId, IReadOnlyList<RelayPublishReport> Relays, int Quorum)
{
    /// <summary>How many relays answered <c>OK true</c>.</summary>
    public int AcceptedCount => Relays.Count(r => r.Outcome.IsAccepted);

    /// <summary>True when at least <see cref="Quorum"/> relays answered <c>OK true</c>; nothing else counts.</summary>
    public bool QuorumReached => AcceptedCount >= Quorum;

    /// <summary>The outcome from one relay, by its URL as the pool names it.</summary>
    public PublishOutcome? OutcomeFor(string relay) => Relays.FirstOrDefault(r => r.Relay == relay)?.Outcome;
}
