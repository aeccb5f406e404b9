namespace SovereignTrajectories.Audit.Replay;

/// <summary>
/// One step of a replayed run, ready to show: its turn, type, a one-line title, the full detail
/// (content, tool input and output, test counts), whether it succeeded (null when the step has no
/// outcome), and the event that carries it.
/// </summary>
public sealed record ReplayEntry(
    int Seq,
    int Turn,
    string Type,
    string Title,
    string Detail,
    bool? Succeeded,
    string EventId,
    long CreatedAt);
