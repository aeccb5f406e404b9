using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SovereignTrajectories.Relays;
using SovereignTrajectories.Relays.Connections;
using SovereignTrajectories.Worker.Configuration;
using SovereignTrajectories.Worker.Outbox;

namespace SovereignTrajectories.Worker.Delivery;

/// <summary>
/// Sends what the outbox holds: one <see cref="RelayDeliveryLoop"/> per write relay, so a relay that
/// is down or slow never holds up the others. Each keeps up to
/// <see cref="DeliveryOptions.MaxInFlightPerRelay"/> stored signed events on the wire (oldest first,
/// sent as they are) and records the answers as they arrive. Loops sleep on signals: an answer, a
/// commit, the next due time, or the relay reconnecting. At shutdown, sends already on the wire get
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

        RelayDeliveryLoop[] loops = writers.Select(c => new RelayDeliveryLoop(c, _store, _notifications, _metrics, _options, _policy, _time, _logger)).ToArray();
        await Task.WhenAll(loops.Select(l => Task.Run(() => l.RunAsync(stoppingToken, inflight.Token), CancellationToken.None))).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Relay configuration changed: {Added} deliveries added for new relays, {Dropped} pending ones to removed relays given up")]
    private static partial void LogRelaysAligned(ILogger logger, int added, int dropped);
}
