namespace SovereignTrajectories.Worker.Outbox;

/// <summary>
/// One commit waiting for the outbox writer: the commit, its serialised forms, and the outcome its
/// caller awaits. Exactly one of the writer (claim) and a cancelled caller (abandon) gets to own it.
/// </summary>
internal sealed class QueuedCommit(OutboxCommit commit, string replay, string[] json)
{
    private const int Waiting = 0;
    private const int Claimed = 1;
    private const int Abandoned = 2;

    private readonly TaskCompletionSource<int> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _state;

    public OutboxCommit Commit { get; } = commit;

    /// <summary>The run's REPLAY.jsonl, stored as the session's mapping state.</summary>
    public string Replay { get; } = replay;

    /// <summary>Canonical JSON of each of <see cref="OutboxCommit.Events"/>, same order.</summary>
    public IReadOnlyList<string> Json { get; } = json;

    public Task<int> Result => _result.Task;

    public bool TryClaim() => Interlocked.CompareExchange(ref _state, Claimed, Waiting) == Waiting;

    public bool TryAbandon() => Interlocked.CompareExchange(ref _state, Abandoned, Waiting) == Waiting;

    public void Complete(int inserted) => _result.TrySetResult(inserted);

    public void Fail(Exception exception) => _result.TrySetException(exception);
}
