namespace SovereignTrajectories.Relays.Publishing;

/// <summary>One relay's outcome for one event, and whether NIP-42 authentication happened on the way.</summary>
public sealed record RelayPublishReport(string Relay, PublishOutcome Outcome, bool Authenticated = false)
{
    public override string ToString() => $"{Relay}: {Outcome.Describe()}{(Authenticated ? " (after NIP-42 auth)" : string.Empty)}";
}
