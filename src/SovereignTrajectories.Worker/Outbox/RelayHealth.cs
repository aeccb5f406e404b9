namespace SovereignTrajectories.Worker.Outbox;

/// <summary>One relay as the outbox saw it: deliveries by state, its last answer and last error.</summary>
public sealed record RelayHealth(
    string Relay,
    long Pending,
    long Accepted,
    long Failed,
    string? LastOutcome,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    DateTimeOffset? LastSuccessAt,
    DateTimeOffset? CooldownUntil,
    int ConsecutiveFailures)
{
    /// <summary>Healthy when its last answer was an acceptance, or it has not failed since its last success.</summary>
    public bool Healthy => ConsecutiveFailures == 0;
}
