namespace SovereignTrajectories.Audit.Fetching;

/// <summary>
/// What one source (a relay, an archive file) contributed to a fetch: events received, events it
/// sent that failed verification or did not match the filter (dropped, never used), and whether it
/// answered completely.
/// </summary>
public sealed record SourceReport(
    string Source,
    long Received,
    long DroppedInvalid,
    long DroppedUnmatched,
    bool Completed,
    string? Error);
