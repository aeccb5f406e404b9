namespace SovereignTrajectories.Worker.Pipeline;

/// <summary>
/// One run safely in the outbox: where it will be published (<see cref="Coordinate"/>, shown to people
/// as <see cref="Naddr"/>), what the commit added, and the newest session version's id.
/// </summary>
public sealed record CommitResult(
    string Sid,
    string Coordinate,
    string Naddr,
    CommitKind Kind,
    int NewEvents,
    int StepCount,
    bool Ended,
    string LatestSessionId,
    string? ReceiptId);
