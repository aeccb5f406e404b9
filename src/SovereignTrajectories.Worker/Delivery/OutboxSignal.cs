namespace SovereignTrajectories.Worker.Delivery;

/// <summary>
/// A level-free wake-up: take <see cref="Current"/> before checking for work, then await it; any
/// <see cref="Pulse"/> after that completes it, so no pulse between the check and the wait is lost.
/// </summary>
internal sealed class OutboxSignal
{
    private TaskCompletionSource _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Current => Volatile.Read(ref _tcs).Task;

    public void Pulse()
    {
        TaskCompletionSource old = Interlocked.Exchange(ref _tcs, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        old.TrySetResult();
    }
}
