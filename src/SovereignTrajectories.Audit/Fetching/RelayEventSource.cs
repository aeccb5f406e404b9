using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Filters;
using SovereignTrajectories.Relays;
using SovereignTrajectories.Relays.Configuration;
using SovereignTrajectories.Relays.Connections;
using SovereignTrajectories.Relays.Querying;

namespace SovereignTrajectories.Audit.Fetching;

/// <summary>
/// Fetches from relays through the <see cref="RelayPool"/>: every read relay, paging past relay caps,
/// only verified events that match the filter (the pool counts and drops the rest). Relay hints found
/// while auditing (<see cref="AddRelayHints"/>) join as a second pool. Not thread-safe: one audit at a time.
/// </summary>
public sealed class RelayEventSource : IEventSource, IAsyncDisposable
{
    private readonly List<(RelayPool Pool, bool Connected)> _pools = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly RelayConnectionOptions _connection;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider? _time;
    private readonly IProgress<AuditProgress>? _progress;
    private readonly List<string> _errors = [];
    private int _reachable;

    /// <param name="options">The relays to read and how to connect.</param>
    /// <param name="loggerFactory">Logs of the relay pools.</param>
    /// <param name="time">The clock of the relay pools.</param>
    /// <param name="progress">Told how many events have arrived so far in each fetch (<see cref="AuditStage.Fetching"/>).</param>
    public RelayEventSource(RelayPoolOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? time = null, IProgress<AuditProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _progress = progress;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _time = time;
        _connection = options.Connection;
        foreach (RelayEndpoint r in options.Relays)
        {
            _names.Add(r.Name);
        }

        _pools.Add((new RelayPool(options, loggerFactory: _loggerFactory, time: time), false));
    }

    public string Description => $"{_names.Count} relay{(_names.Count == 1 ? string.Empty : "s")} ({string.Join(", ", _names)})";

    public bool IsOffline => false;

    /// <summary>Adds relays named by hints (naddr/nevent TLVs, tag hints) that are not in the pool yet; bad URLs are skipped.</summary>
    public void AddRelayHints(IEnumerable<string?> urls)
    {
        ArgumentNullException.ThrowIfNull(urls);
        var options = new RelayPoolOptions { Connection = _connection };
        foreach (string? u in urls)
        {
            if (string.IsNullOrWhiteSpace(u))
            {
                continue;
            }

            Uri uri;
            try
            {
                uri = RelayUrl.Parse(u);
            }
            catch (FormatException)
            {
                continue;
            }

            var endpoint = new RelayEndpoint(uri, Read: true, Write: false);
            if (_names.Add(endpoint.Name))
            {
                options.Relays.Add(endpoint);
            }
        }

        if (options.Relays.Count > 0)
        {
            // A read-only pool still needs a valid quorum; it never publishes.
            options.Relays[0] = options.Relays[0] with { Write = true };
            _pools.Add((new RelayPool(options, loggerFactory: _loggerFactory, time: _time), false));
        }
    }

    public async Task<EventBatch> FetchAsync(IReadOnlyList<Filter> filters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filters);
        await ConnectAllAsync(cancellationToken).ConfigureAwait(false);
        var events = new List<NostrEvent>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var reports = new List<SourceReport>();
        FetchProgress? counter = _progress is null ? null : new FetchProgress(_progress, _pools.Count);
        QueryResult[] results = await Task.WhenAll(_pools.Select((p, i) => p.Pool.QueryAsync(filters, counter?.ForPool(i), cancellationToken))).ConfigureAwait(false);
        foreach (QueryResult result in results)
        {
            foreach (NostrEvent e in result.Events)
            {
                if (seen.Add(e.Id))
                {
                    events.Add(e);
                }
            }

            reports.AddRange(result.Relays.Select(r => new SourceReport(r.Relay, r.Received, r.DroppedInvalid, r.DroppedUnmatched, r.Completed, r.Error)));
        }

        return new EventBatch(events, [], reports);
    }

    public string? ArtifactsDirectory(string sid) => null;

    public async ValueTask DisposeAsync()
    {
        foreach ((RelayPool pool, _) in _pools)
        {
            await pool.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task ConnectAllAsync(CancellationToken cancellationToken)
    {
        for (int i = 0; i < _pools.Count; i++)
        {
            (RelayPool pool, bool connected) = _pools[i];
            if (!connected)
            {
                int up = await pool.ConnectAsync(cancellationToken).ConfigureAwait(false);
                _pools[i] = (pool, true);
                _reachable += up;
                _errors.AddRange(pool.Relays.Where(c => c.State != RelayConnectionState.Connected).Select(c => $"{c.Name}: {c.LastError ?? "not connected"}"));
            }
        }

        if (_reachable == 0)
        {
            throw new AuditDataException("no relay could be reached: " + string.Join("; ", _errors));
        }
    }
}
