using SovereignTrajectories.Nostr.Messages;

namespace SovereignTrajectories.Relays.Querying;

/// <summary>What one relay contributed to one query: events, drops, pages, and how it ended.</summary>
public sealed record RelayQueryReport(
    string Relay,
    long Received,
    long DroppedInvalid,
    long DroppedUnmatched,
    int Pages,
    bool Completed,
    MachineReadablePrefix? ClosedPrefix,
    string? Error)
{
    /// <summary>Events dropped by verification or filter matching; never returned.</summary>
    public long Dropped => DroppedInvalid + DroppedUnmatched;
}
