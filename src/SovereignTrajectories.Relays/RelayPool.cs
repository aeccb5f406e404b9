using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Filters;
using SovereignTrajectories.Relays.Auth;
using SovereignTrajectories.Relays.Configuration;
using SovereignTrajectories.Relays.Connections;
using SovereignTrajectories.Relays.Publishing;
using SovereignTrajectories.Relays.Querying;

namespace SovereignTrajectories.Relays;

/// <summary>
/// Several relays behind one API. Publishing reports every write relay's outcome and whether a
/// quorum answered <c>OK true</c>; querying merges verified, filter-matching events from every read
/// relay, paging backwards with <c>until</c> past per-relay caps, and de-duplicates only after
/// verification.
/// </summary>
public sealed class RelayPool : IAsyncDisposable
{
    /// <summary>How many collected events apart a query's progress is reported: about one relay page.</summary>
    public const int ProgressEvery = 500;

    private readonly RelayPoolOptions _options;
    private readonly ILogger _logger;
    private readonly List<RelayConnection> _connections;
    private readonly Lock _gate = new();
    private Task<int>? _started;

    public RelayPool(
        RelayPoolOptions options,
        IAuthSigner? authSigner = null,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? time = null,
        HttpClient? http = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        ILoggerFactory factory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = factory.CreateLogger<RelayPool>();
        _connections = options.Relays
            .Select(r => new RelayConnection(r, options.Connection, factory.CreateLogger<RelayConnection>(), time, authSigner, http))
            .ToList();
    }

    /// <summary>Every relay connection, in configuration order.</summary>
    public IReadOnlyList<RelayConnection> Relays => _connections;

    /// <summary>How many write relays must accept.</summary>
    public int Quorum => _options.Quorum;

    /// <summary>Per-relay counters, including events dropped by verification or filter matching.</summary>
    public IReadOnlyList<RelayStatistics> GetStatistics() => _connections.Select(c => c.GetStatistics()).ToList();

    /// <summary>
    /// Connects to every relay (first attempt each, in parallel); returns how many are up. Publishing
    /// and querying call this themselves the first time, so calling it is optional.
    /// </summary>
    public async Task<int> ConnectAsync(CancellationToken cancellationToken)
    {
        Task<int> started;
        lock (_gate)
        {
            started = _started ??= ConnectAllAsync();
        }

        await started.WaitAsync(cancellationToken).ConfigureAwait(false);
        return _connections.Count(c => c.State == RelayConnectionState.Connected);
    }

    /// <summary>Publishes one signed event to every write relay and waits for each outcome.</summary>
    public async Task<PublishResult> PublishAsync(NostrEvent nostrEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nostrEvent);
        await ConnectAsync(cancellationToken).ConfigureAwait(false);
        RelayPublishReport[] reports = await Task.WhenAll(
            _connections.Where(c => c.Endpoint.Write).Select(c => c.PublishAsync(nostrEvent, cancellationToken))).ConfigureAwait(false);
        var result = new PublishResult(nostrEvent.Id, reports, _options.Quorum);
        if (!result.QuorumReached)
        {
            _logger.LogWarning(
                "Event {Id} reached {Accepted} of {Quorum} required relays: {Outcomes}",
                nostrEvent.Id,
                result.AcceptedCount,
                _options.Quorum,
                string.Join("; ", reports.Select(r => r.ToString())));
        }

        return result;
    }

    /// <summary>Collects events from every read relay until each has sent EOSE for every page, merged and de-duplicated.</summary>
    public Task<QueryResult> QueryAsync(IReadOnlyList<Filter> filters, CancellationToken cancellationToken) =>
        QueryAsync(filters, null, cancellationToken);

    /// <summary>
    /// As <see cref="QueryAsync(IReadOnlyList{Filter}, CancellationToken)"/>, telling <paramref name="received"/> how many
    /// events have been collected every <see cref="ProgressEvery"/> events and once at the end, on the collecting thread.
    /// </summary>
    public async Task<QueryResult> QueryAsync(IReadOnlyList<Filter> filters, IProgress<int>? received, CancellationToken cancellationToken)
    {
        var events = new List<NostrEvent>();
        var reports = new List<RelayQueryReport>();
        await foreach (NostrEvent e in StreamCoreAsync(filters, reports, cancellationToken).ConfigureAwait(false))
        {
            events.Add(e);
            if (received is not null && events.Count % ProgressEvery == 0)
            {
                received.Report(events.Count);
            }
        }

        received?.Report(events.Count);
        return new QueryResult(events, reports);
    }

    /// <summary>The streaming form of <see cref="QueryAsync"/>: events as they arrive, each verified, matched and new.</summary>
    public IAsyncEnumerable<NostrEvent> StreamAsync(IReadOnlyList<Filter> filters, CancellationToken cancellationToken) =>
        StreamCoreAsync(filters, reports: null, cancellationToken);

    /// <summary>A live subscription on every read relay: stored events, then new ones, across reconnects.</summary>
    public async Task<PoolSubscription> SubscribeAsync(IReadOnlyList<Filter> filters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filters);
        await ConnectAsync(cancellationToken).ConfigureAwait(false);
        var subs = new List<RelaySubscription>();
        foreach (RelayConnection c in _connections.Where(c => c.Endpoint.Read))
        {
            subs.Add(await c.SubscribeAsync(filters, live: true, cancellationToken).ConfigureAwait(false));
        }

        return new PoolSubscription(subs, _options.Connection.MaxBufferedEvents);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (RelayConnection c in _connections)
        {
            await c.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<int> ConnectAllAsync()
    {
        // Not tied to the first caller's token: the connections outlive any one call.
        bool[] up = await Task.WhenAll(_connections.Select(c => c.ConnectAsync(CancellationToken.None))).ConfigureAwait(false);
        int count = up.Count(u => u);
        _logger.LogInformation("Relay pool connected to {Up} of {Total} relays", count, up.Length);
        return count;
    }

    private async IAsyncEnumerable<NostrEvent> StreamCoreAsync(
        IReadOnlyList<Filter> filters,
        List<RelayQueryReport>? reports,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filters);
        if (filters.Count == 0)
        {
            throw new ArgumentException("a query needs at least one filter", nameof(filters));
        }

        await ConnectAsync(cancellationToken).ConfigureAwait(false);

        var merged = Channel.CreateBounded<NostrEvent>(new BoundedChannelOptions(_options.Connection.MaxBufferedEvents)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var builders = new List<QueryReportBuilder>();
        var tasks = new List<Task>();
        foreach (RelayConnection c in _connections.Where(c => c.Endpoint.Read))
        {
            var builder = new QueryReportBuilder(c.Name);
            builders.Add(builder);
            foreach (Filter f in filters)
            {
                tasks.Add(new RelayPager(c, f, merged.Writer, builder, _options.Connection).RunAsync(stop.Token));
            }
        }

        Task all = Task.WhenAll(tasks).ContinueWith(
            t => merged.Writer.TryComplete(t.Exception?.InnerException),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

        var seen = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            await foreach (NostrEvent e in merged.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                // Every event here has already passed verification; only now is it safe to de-duplicate.
                if (seen.Add(e.Id))
                {
                    yield return e;
                }
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await all.ConfigureAwait(false);
            reports?.AddRange(builders.Select(b => b.Build()));
        }
    }
}
