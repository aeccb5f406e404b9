using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Relays;
using SovereignTrajectories.Relays.Connections;
using SovereignTrajectories.Relays.Publishing;
using SovereignTrajectories.Worker.Configuration;
using SovereignTrajectories.Worker.Outbox;

namespace SovereignTrajectories.Worker.Delivery;

/// <summary>
/// Sends what the outbox holds: one loop per write relay, so a relay that is down or slow never
/// holds up the others. Each loop takes the deliveries due for its relay (oldest first, up to
/// <see cref="DeliveryOptions.MaxInFlightPerRelay"/> at once), sends the stored signed events as
/// they are, and records every answer in one transaction. It sleeps on signals: a commit, the next
/// due time, or the relay reconnecting. At shutdown, sends already on the wire get
/// <see cref="DeliveryOptions.ShutdownGrace"/> to finish; everything else simply stays pending.
/// </summary>
public sealed partial class OutboxDeliveryService : BackgroundService
{
    private readonly OutboxStore _store;
    private readonly RelayPool _pool;
    private readonly PublishNotifications _notifications;
    private readonly WorkerMetrics _metrics;
    private readonly DeliveryOptions _options;
    private readonly DeliveryPolicy _policy;
    private readonly TimeProvider _time;
    private readonly ILogger<OutboxDeliveryService> _logger;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _cooldowns = new(StringComparer.Ordinal);

    public OutboxDeliveryService(
        OutboxStore store,
        RelayPool pool,
        PublishNotifications notifications,
        WorkerMetrics metrics,
        IOptions<SovereignTrajectoriesOptions> options,
        TimeProvider time,
        ILogger<OutboxDeliveryService> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _pool = pool;
        _notifications = notifications;
        _metrics = metrics;
        _options = options.Value.Delivery;
        _policy = new DeliveryPolicy(_options, time);
        _time = time;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var inflight = new CancellationTokenSource();
        using CancellationTokenRegistration grace = stoppingToken.Register(() => inflight.CancelAfter(_options.ShutdownGrace));
        RelayConnection[] writers = _pool.Relays.Where(c => c.Endpoint.Write).ToArray();
        (int added, int dropped) = await _store.AlignRelaysAsync(writers.Select(c => c.Name).ToArray(), stoppingToken).ConfigureAwait(false);
        if (added > 0 || dropped > 0)
        {
            LogRelaysAligned(_logger, added, dropped);
            _notifications.Recorded([]);
        }

        await Task.WhenAll(writers.Select(c => Task.Run(() => RunRelayAsync(c, stoppingToken, inflight.Token), CancellationToken.None))).ConfigureAwait(false);
    }

    private async Task RunRelayAsync(RelayConnection relay, CancellationToken stop, CancellationToken inflight)
    {
        try
        {
            await relay.ConnectAsync(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return;
        }

        while (!stop.IsCancellationRequested)
        {
            try
            {
                await DeliverOnceAsync(relay, stop, inflight).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The outbox keeps everything; a failed round is retried after a pause instead of ending the loop.
                LogRoundFailed(_logger, relay.Name, ex);
                try
                {
                    await Task.Delay(_options.BaseRetryDelay, _time, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task DeliverOnceAsync(RelayConnection relay, CancellationToken stop, CancellationToken inflight)
    {
        // After rate-limited, nothing more goes to this relay until its cooldown is over (not just the events it refused).
        if (_cooldowns.TryGetValue(relay.Name, out DateTimeOffset until) && until > _time.GetUtcNow())
        {
            await Task.Delay(until - _time.GetUtcNow(), _time, stop).ConfigureAwait(false);
        }

        Task committed = _notifications.CommittedSignal;
        IReadOnlyList<PendingDelivery> due = await _store.GetDueAsync(relay.Name, _options.MaxInFlightPerRelay, stop).ConfigureAwait(false);
        if (due.Count == 0)
        {
            DateTimeOffset? next = await _store.GetNextDueAsync(relay.Name, stop).ConfigureAwait(false);
            TimeSpan wait = next is null ? Timeout.InfiniteTimeSpan : Max(next.Value - _time.GetUtcNow(), TimeSpan.Zero);
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(stop);
            Task delay = wait == Timeout.InfiniteTimeSpan ? Task.Delay(Timeout.Infinite, cts.Token) : Task.Delay(wait, _time, cts.Token);
            await Task.WhenAny(committed, delay).ConfigureAwait(false);
            await cts.CancelAsync().ConfigureAwait(false);
            stop.ThrowIfCancellationRequested();
            return;
        }

        if (relay.State != RelayConnectionState.Connected)
        {
            await _store.RecordRelayUnreachableAsync(relay.Name, relay.LastError ?? "not connected", stop).ConfigureAwait(false);
            LogWaitingForRelay(_logger, relay.Name, due.Count);
            await relay.WaitUntilConnectedAsync(stop).ConfigureAwait(false);
        }

        DeliveryAttempt?[] answers = await Task.WhenAll(due.Select(d => SendAsync(relay, d, inflight))).ConfigureAwait(false);
        var attempts = answers.OfType<DeliveryAttempt>().ToList();
        if (attempts.Count == 0)
        {
            return;
        }

        if (attempts.Select(a => a.RelayCooldownUntil).Max() is DateTimeOffset cooldown)
        {
            _cooldowns[relay.Name] = cooldown;
        }

        // Recorded even while stopping: an answer already received must not be asked for again.
        IReadOnlyList<string> published = await _store.RecordAsync(relay.Name, attempts, CancellationToken.None).ConfigureAwait(false);
        foreach (DeliveryAttempt a in attempts)
        {
            _metrics.Attempt(relay.Name, a.Outcome);
            if (a.Status == DeliveryStatus.Accepted)
            {
                _metrics.Accepted(relay.Name);
            }
            else if (a.Status == DeliveryStatus.Failed)
            {
                _metrics.GaveUp(relay.Name);
                LogGaveUp(_logger, relay.Name, a.EventNo, a.Outcome, a.Message);
            }
        }

        if (published.Count > 0)
        {
            _metrics.Published(published.Count);
            foreach (string coordinate in published)
            {
                LogPublished(_logger, coordinate);
            }
        }

        _notifications.Recorded(published);
        if (attempts.All(a => !a.CountsAsAttempt) && !stop.IsCancellationRequested)
        {
            await relay.WaitUntilConnectedAsync(stop).ConfigureAwait(false);
        }
    }

    private async Task<DeliveryAttempt?> SendAsync(RelayConnection relay, PendingDelivery delivery, CancellationToken inflight)
    {
        NostrEvent signed = EventParser.Parse(delivery.EventJson);
        RelayPublishReport report;
        try
        {
            report = await relay.PublishAsync(signed, inflight).ConfigureAwait(false);
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

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Relay configuration changed: {Added} deliveries added for new relays, {Dropped} pending ones to removed relays given up")]
    private static partial void LogRelaysAligned(ILogger logger, int added, int dropped);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Relay} is not connected; {Count} deliveries wait for it to come back")]
    private static partial void LogWaitingForRelay(ILogger logger, string relay, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery to {Relay} failed this round; retrying")]
    private static partial void LogRoundFailed(ILogger logger, string relay, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gave up delivering outbox event #{EventNo} to {Relay}: {Outcome} {Message}")]
    private static partial void LogGaveUp(ILogger logger, string relay, long eventNo, string outcome, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {Coordinate} published: every event reached the quorum")]
    private static partial void LogPublished(ILogger logger, string coordinate);
}
