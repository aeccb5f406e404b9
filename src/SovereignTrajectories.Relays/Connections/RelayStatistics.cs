namespace SovereignTrajectories.Relays.Connections;

/// <summary>A snapshot of what one relay connection has seen, including every event it dropped and why.</summary>
public sealed record RelayStatistics(
    string Relay,
    long ConnectAttempts,
    long Connects,
    long EventsReceived,
    long DroppedInvalid,
    long DroppedUnmatched,
    long DroppedUnknownSubscription,
    long MalformedMessages,
    long OversizedMessages,
    long Notices,
    IReadOnlyList<string> RecentNotices)
{
    /// <summary>Events received but never returned: bad id or signature, or not matching the filter that asked.</summary>
    public long Dropped => DroppedInvalid + DroppedUnmatched;
}
