using SovereignTrajectories.Worker.Outbox;

namespace SovereignTrajectories.Worker.Delivery;

/// <summary>
/// What callers wait on instead of polling: a commit woke the delivery loops; a delivery batch was
/// recorded; a session reached the quorum with every current event. The awaitables re-check the
/// outbox after each signal, so they never miss a state reached before they were called.
/// </summary>
public sealed class PublishNotifications
{
    private readonly OutboxStore _store;
    private readonly OutboxSignal _committed = new();
    private readonly OutboxSignal _recorded = new();

    // Per-session wake-ups for WhenSessionPublishedAsync: a session becomes published only in a recorded
    // batch that names it, so its waiters need not re-read the outbox after every batch.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, OutboxSignal> _published = new(StringComparer.Ordinal);

    public PublishNotifications(OutboxStore store)
    {
        _store = store;
    }

    /// <summary>Raised (on a delivery loop; keep handlers quick) with the coordinate of each session that became published.</summary>
    public event Action<string>? SessionPublished;

    /// <summary>Raised after every recorded delivery batch (for progress displays).</summary>
    public event Action? DeliveriesRecorded;

    internal Task CommittedSignal => _committed.Current;

    internal Task RecordedSignal => _recorded.Current;

    /// <summary>Completes when the session's current events all reached the quorum.</summary>
    public async Task WhenSessionPublishedAsync(string coordinate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(coordinate);
        OutboxSignal? registered = null;
        try
        {
            while (true)
            {
                (registered, Task signal) = SessionSignal(coordinate);
                SessionDeliveryStatus? status = await _store.GetSessionStatusAsync(coordinate, cancellationToken).ConfigureAwait(false);
                if (status is { Published: true })
                {
                    return;
                }

                await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            // Leaving (published already, or cancelled): take the wake-up out so none stays behind for a
            // session nobody waits on; anyone else waiting on it wakes, re-reads the status and registers again.
            if (registered is not null && _published.TryRemove(new KeyValuePair<string, OutboxSignal>(coordinate, registered)))
            {
                registered.Pulse();
            }
        }
    }

    /// <summary>Wake-ups waiting for a session to be published (for tests: none stays behind once its waiters left).</summary>
    internal int SessionWaitCount => _published.Count;

    /// <summary>A wake-up that the next batch publishing <paramref name="coordinate"/> completes, and its owner.</summary>
    private (OutboxSignal Owner, Task Signal) SessionSignal(string coordinate)
    {
        while (true)
        {
            OutboxSignal published = _published.GetOrAdd(coordinate, _ => new OutboxSignal());
            Task signal = published.Current;

            // Still registered after taking it: whoever removes it pulses it, completing this task.
            if (_published.TryGetValue(coordinate, out OutboxSignal? now) && ReferenceEquals(now, published))
            {
                return (published, signal);
            }
        }
    }

    /// <summary>Completes with the session's status once it is published or can no longer be (its relays gave up).</summary>
    public async Task<SessionDeliveryStatus> WhenSessionSettledAsync(string coordinate, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task signal = _recorded.Current;
            SessionDeliveryStatus? status = await _store.GetSessionStatusAsync(coordinate, cancellationToken).ConfigureAwait(false);
            if (status is { Settled: true })
            {
                return status;
            }

            await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Completes when no delivery is pending: every event reached every relay (or was given up).</summary>
    public async Task WhenDrainedAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task signal = _recorded.Current;
            if (await _store.GetDepthAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                return;
            }

            await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Wakes the delivery loops: something new is in the outbox.</summary>
    public void Committed() => _committed.Pulse();

    internal void Recorded(IReadOnlyList<string> published)
    {
        foreach (string coordinate in published)
        {
            if (_published.TryRemove(coordinate, out OutboxSignal? waiters))
            {
                waiters.Pulse();
            }

            SessionPublished?.Invoke(coordinate);
        }

        DeliveriesRecorded?.Invoke();
        _recorded.Pulse();
    }
}
