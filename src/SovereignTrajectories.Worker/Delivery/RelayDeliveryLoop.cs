using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Relays.Connections;
using SovereignTrajectories.Relays.Publishing;
using SovereignTrajectories.Worker.Configuration;
using SovereignTrajectories.Worker.Outbox;

namespace SovereignTrajectories.Worker.Delivery;

/// <summary>
/// Delivers the outbox to one relay through a sliding window: up to
/// <see cref="DeliveryOptions.MaxInFlightPerRelay"/> events stay on the wire continuously, so a slow
/// relay never idles between batches while we do SQL, and one slow answer holds up nothing else.
/// Answers are recorded as they come, grouped into one transaction per batch (group commit);
/// free slots are refilled from the due deliveries, never re-taking one still on the wire or answered
/// but not yet recorded. After <c>rate-limited</c> nothing new is sent until the cooldown is over;
/// while the relay is down, nothing is sent until it reconnects. At shutdown nothing new is sent,
/// sends on the wire get the grace period, and every answer received is recorded.
/// </summary>
internal sealed partial class RelayDeliveryLoop
{
    /// <summary>
    /// Longest an answer waits to be recorded while others are still on the wire: bounds how stale
    /// the outbox (and the notifications it drives) can be, while batching answers that trickle in.
    /// </summary>
    internal static readonly TimeSpan GroupCommitDelay = TimeSpan.FromMilliseconds(50);

    private readonly RelayConnection _relay;
    private readonly OutboxStore _store;
    private readonly PublishNotifications _notifications;
    private readonly WorkerMetrics _metrics;
    private readonly DeliveryPolicy _policy;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _window;
    private readonly int _refillAt;
    private readonly int _recordAt;
    private readonly TimeSpan _retryDelay;
    private readonly Channel<Answer> _answers = Channel.CreateUnbounded<Answer>(new UnboundedChannelOptions { SingleReader = true });

    // Deliveries sent and not yet recorded (on the wire, or answered and waiting for the next batch):
    // never fetched again until their answer is in the outbox.
    private readonly HashSet<long> _taken = [];
    private readonly List<DeliveryAttempt> _unrecorded = [];
    private int _onTheWire;
    private long _oldestUnrecordedAt;
    private Exception? _sendFailure;
    private DateTimeOffset _cooldownUntil = DateTimeOffset.MinValue;

    public RelayDeliveryLoop(
        RelayConnection relay,
        OutboxStore store,
        PublishNotifications notifications,
        WorkerMetrics metrics,
        DeliveryOptions options,
        DeliveryPolicy policy,
        TimeProvider time,
        ILogger logger)
    {
        _relay = relay;
        _store = store;
        _notifications = notifications;
        _metrics = metrics;
        _policy = policy;
        _time = time;
        _logger = logger;
        _window = options.MaxInFlightPerRelay;
        _retryDelay = options.BaseRetryDelay;

        // Refilling one slot at a time would cost a query per answer; an eighth of the window keeps
        // the relay's pipeline full while each query takes a useful batch.
        _refillAt = Math.Max(1, _window / 8);
        _recordAt = Math.Max(1, _window / 4);
    }

    /// <summary>Runs until <paramref name="stop"/>; sends on the wire then get until <paramref name="inflight"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken stop, CancellationToken inflight)
    {
        try
        {
            await _relay.ConnectAsync(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return;
        }

        while (!stop.IsCancellationRequested)
        {
            try
            {
                await StepAsync(stop, inflight).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The outbox keeps everything; a failed step is retried after a pause instead of ending the loop.
                LogRoundFailed(_logger, _relay.Name, ex);
                try
                {
                    await Task.Delay(_retryDelay, _time, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        await DrainAsync().ConfigureAwait(false);
    }

    private async Task StepAsync(CancellationToken stop, CancellationToken inflight)
    {
        TakeAnswers();
        if (_sendFailure is { } failure)
        {
            _sendFailure = null;
            await RecordAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"sending to {_relay.Name} failed", failure);
        }

        if (_unrecorded.Count > 0 && (_unrecorded.Count >= _recordAt || _onTheWire == 0 || Since(_oldestUnrecordedAt) >= GroupCommitDelay))
        {
            if (await RecordAsync().ConfigureAwait(false) && _onTheWire == 0)
            {
                // Every answer said the relay was not there: wait for it instead of spinning on the same events.
                await _relay.WaitUntilConnectedAsync(stop).ConfigureAwait(false);
            }
        }

        // Taken before looking for work, so a commit landing in between still wakes the wait below.
        Task committed = _notifications.CommittedSignal;
        DateTimeOffset now = _time.GetUtcNow();
        bool cooling = _cooldownUntil > now;
        bool idleSlots = false;
        DateTimeOffset? nextDue = null;
        int free = _window - _onTheWire;
        if (!cooling && (free >= _refillAt || _onTheWire == 0) && (_onTheWire == 0 || _relay.State == RelayConnectionState.Connected))
        {
            DueDeliveries found = await _store.GetDueAsync(_relay.Name, free, _taken, stop).ConfigureAwait(false);
            if (found.Due.Count > 0 && _relay.State != RelayConnectionState.Connected)
            {
                await _store.RecordRelayUnreachableAsync(_relay.Name, _relay.LastError ?? "not connected", stop).ConfigureAwait(false);
                LogWaitingForRelay(_logger, _relay.Name, found.Due.Count);
                await _relay.WaitUntilConnectedAsync(stop).ConfigureAwait(false);
            }

            foreach (PendingDelivery d in found.Due)
            {
                _taken.Add(d.EventNo);
                _onTheWire++;
                _ = SendAsync(d, inflight);
            }

            idleSlots = found.Due.Count < free;
            nextDue = found.NextDueAt;
        }

        await WaitAsync(committed, cooling, idleSlots, nextDue, now, stop).ConfigureAwait(false);
    }

    /// <summary>Sleeps until an answer, the group-commit deadline, the end of a cooldown, a commit or the next due time.</summary>
    private async Task WaitAsync(Task committed, bool cooling, bool idleSlots, DateTimeOffset? nextDue, DateTimeOffset now, CancellationToken stop)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var wakes = new List<Task>(5) { Task.Delay(Timeout.Infinite, cts.Token) };
        if (_onTheWire > 0)
        {
            wakes.Add(_answers.Reader.WaitToReadAsync(cts.Token).AsTask());
        }

        if (_unrecorded.Count > 0)
        {
            wakes.Add(Task.Delay(Max(GroupCommitDelay - Since(_oldestUnrecordedAt), TimeSpan.Zero), _time, cts.Token));
        }

        if (cooling)
        {
            wakes.Add(Task.Delay(_cooldownUntil - now, _time, cts.Token));
        }
        else if (idleSlots)
        {
            wakes.Add(committed);
            if (nextDue is { } at)
            {
                wakes.Add(Task.Delay(Max(at - _time.GetUtcNow(), TimeSpan.Zero), _time, cts.Token));
            }
        }

        await Task.WhenAny(wakes).ConfigureAwait(false);
        await cts.CancelAsync().ConfigureAwait(false);
        stop.ThrowIfCancellationRequested();
    }

    /// <summary>At shutdown: waits for every send on the wire (the grace period cancels the rest) and records every answer.</summary>
    private async Task DrainAsync()
    {
        while (_onTheWire > 0)
        {
            await _answers.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false);
            TakeAnswers();
        }

        _sendFailure = null;
        try
        {
            // Recorded even while stopping: an answer already received must not be asked for again.
            await RecordAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Not recorded means sent again after the restart: the same signed event, which relays take as a duplicate.
            LogRoundFailed(_logger, _relay.Name, ex);
        }
    }

    private void TakeAnswers()
    {
        while (_answers.Reader.TryRead(out Answer? answer))
        {
            _onTheWire--;
            if (answer.Attempt is { } attempt)
            {
                if (_unrecorded.Count == 0)
                {
                    _oldestUnrecordedAt = _time.GetTimestamp();
                }

                _unrecorded.Add(attempt);
                if (attempt.RelayCooldownUntil is { } until && until > _cooldownUntil)
                {
                    // After rate-limited, nothing more goes to this relay until its cooldown is over (not just the events it refused).
                    _cooldownUntil = until;
                }
            }
            else
            {
                // Cancelled by the end of the grace period, or failed before any answer: still pending, free to take again.
                _taken.Remove(answer.EventNo);
                _sendFailure ??= answer.Failure;
            }
        }
    }

    /// <summary>Records the answers held so far in one transaction.</summary>
    /// <returns>True when none of them counted as an attempt because the relay was not connected.</returns>
    private async Task<bool> RecordAsync()
    {
        if (_unrecorded.Count == 0)
        {
            return false;
        }

        // Recorded even while stopping: an answer already received must not be asked for again.
        IReadOnlyList<string> published = await _store.RecordAsync(_relay.Name, _unrecorded, CancellationToken.None).ConfigureAwait(false);
        bool relayGone = true;
        foreach (DeliveryAttempt a in _unrecorded)
        {
            _taken.Remove(a.EventNo);
            relayGone &= !a.CountsAsAttempt && a.RelayCooldownUntil is null;

            _metrics.Attempt(_relay.Name, a.Outcome);
            if (a.Status == DeliveryStatus.Accepted)
            {
                _metrics.Accepted(_relay.Name);
            }
            else if (a.Status == DeliveryStatus.Failed)
            {
                _metrics.GaveUp(_relay.Name);
                LogGaveUp(_logger, _relay.Name, a.EventNo, a.Outcome, a.Message);
            }
        }

        _unrecorded.Clear();
        if (published.Count > 0)
        {
            _metrics.Published(published.Count);
            foreach (string coordinate in published)
            {
                LogPublished(_logger, coordinate);
            }
        }

        _notifications.Recorded(published);
        return relayGone;
    }

    private async Task SendAsync(PendingDelivery delivery, CancellationToken inflight)
    {
        Answer answer;
        try
        {
            answer = new Answer(delivery.EventNo, await PublishAsync(delivery, inflight).ConfigureAwait(false), null);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            answer = new Answer(delivery.EventNo, null, ex);
        }

        _answers.Writer.TryWrite(answer);
    }

    private async Task<DeliveryAttempt?> PublishAsync(PendingDelivery delivery, CancellationToken inflight)
    {
        NostrEvent signed = EventParser.Parse(delivery.EventJson);
        RelayPublishReport report;
        try
        {
            report = await _relay.PublishAsync(signed, inflight).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (inflight.IsCancellationRequested)
        {
            return null;
        }

        // Only a refusal against the relay's own limits is final; any other not-sent answer means the
        // socket was not there, whatever the state is by now.
        bool final = report.Outcome is PublishOutcome.NotSent notSent && notSent.Reason.StartsWith("breaks the relay's", StringComparison.Ordinal);
        return _policy.Decide(delivery, report.Outcome, connected: final || report.Outcome is not PublishOutcome.NotSent);
    }

    private TimeSpan Since(long timestamp) => _time.GetElapsedTime(timestamp);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    [LoggerMessage(Level = LogLevel.Information, Message = "{Relay} is not connected; {Count} deliveries wait for it to come back")]
    private static partial void LogWaitingForRelay(ILogger logger, string relay, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery to {Relay} failed this round; retrying")]
    private static partial void LogRoundFailed(ILogger logger, string relay, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gave up delivering outbox event #{EventNo} to {Relay}: {Outcome} {Message}")]
    private static partial void LogGaveUp(ILogger logger, string relay, long eventNo, string outcome, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {Coordinate} published: every event reached the quorum")]
    private static partial void LogPublished(ILogger logger, string coordinate);

    /// <summary>What came back for one send: the policy's decision, or null when cancelled or failed (<paramref name="Failure"/>).</summary>
    private sealed record Answer(long EventNo, DeliveryAttempt? Attempt, Exception? Failure);
}
