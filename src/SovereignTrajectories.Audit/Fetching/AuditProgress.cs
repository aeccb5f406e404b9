namespace SovereignTrajectories.Audit.Fetching;

/// <summary>
/// How far an audit has come, for a progress display. Reports arrive in order from one thread at a time,
/// at most every few thousand events or one archive chunk, so a receiver can write them out directly.
/// </summary>
/// <param name="Stage">What is being done.</param>
/// <param name="Done">Bytes read (<see cref="AuditStage.Reading"/>) or events (the other stages).</param>
/// <param name="Total">The total when known: the archive's size in bytes.</param>
public sealed record AuditProgress(AuditStage Stage, long Done, long? Total);
