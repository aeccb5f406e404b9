namespace SovereignTrajectories.Worker.Intake;

/// <summary>Counters of everything intake took in since the worker started (the <c>intake</c> part of <c>/status</c>).</summary>
public sealed record IntakeStatus(
    long FilesArchived,
    long FilesFailed,
    long LiveRunsFollowing,
    long LiveRunsEnded,
    long LiveStepsAppended,
    long OpenTraces,
    long TracesCommitted,
    long SpansReceived,
    long LateSpansDropped,
    long FeedbackApplied,
    long FeedbackRejected);
