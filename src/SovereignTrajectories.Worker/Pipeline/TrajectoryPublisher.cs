using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Nip19;
using SovereignTrajectories.Relays.Configuration;
using SovereignTrajectories.Trajectories.Ingest;
using SovereignTrajectories.Trajectories.Mapping;
using SovereignTrajectories.Trajectories.Model;
using SovereignTrajectories.Trajectories.Redaction;
using SovereignTrajectories.Worker.Archive;
using SovereignTrajectories.Worker.Configuration;
using SovereignTrajectories.Worker.Delivery;
using SovereignTrajectories.Worker.Intake;
using SovereignTrajectories.Worker.Outbox;

namespace SovereignTrajectories.Worker.Pipeline;

/// <summary>
/// The conversion glue: run file or model -> redact -> map -> sign -> one outbox transaction (with
/// the 39211 receipt when the run has ended) -> local archive -> wake delivery. Committing the same
/// run again adds only what is new (idempotent across restarts); appends continue from the stored
/// mapping state, so a step's seq never gets a second event. Calls for one session are serialised.
/// </summary>
public sealed partial class TrajectoryPublisher : ITrajectorySink, IArchiveRepairingSink
{
    private const int LockStripes = 64;
    private const int CachedSessions = 64;

    private readonly OutboxStore _store;
    private readonly SigningKeyProvider _keys;
    private readonly TrajectoryPublisherPipeline _pipeline;
    private readonly SessionArchive _archive;
    private readonly PublishNotifications _notifications;
    private readonly WorkerMetrics _metrics;
    private readonly ReceiptOptions _receipt;
    private readonly TimeProvider _time;
    private readonly ILogger<TrajectoryPublisher> _logger;
    private readonly TrajectoryIngest _ingest = new();
    private readonly string[] _relays;
    private readonly int _quorum;
    private readonly string _relayHint;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, StoredSession> _recent = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim[] _locks = Enumerable.Range(0, LockStripes).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public TrajectoryPublisher(
        OutboxStore store,
        SigningKeyProvider keys,
        RelayPoolOptions relays,
        SessionArchive archive,
        PublishNotifications notifications,
        WorkerMetrics metrics,
        IOptions<SovereignTrajectoriesOptions> options,
        TimeProvider time,
        ILogger<TrajectoryPublisher> logger)
    {
        ArgumentNullException.ThrowIfNull(relays);
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _keys = keys;
        _archive = archive;
        _notifications = notifications;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        SovereignTrajectoriesOptions o = options.Value;
        _receipt = o.Receipt;
        _relays = relays.Relays.Where(r => r.Write).Select(r => r.Name).ToArray();
        _quorum = relays.Quorum;
        _relayHint = string.IsNullOrEmpty(o.Mapping.RelayHint) ? _relays.FirstOrDefault() ?? string.Empty : o.Mapping.RelayHint;
        _pipeline = new TrajectoryPublisherPipeline(
            new TrajectoryMapperOptions { MaxEventBytes = o.Mapping.MaxEventBytes, CheckpointEvery = o.Mapping.CheckpointEvery, RelayHint = _relayHint },
            new RedactionOptions { PublishThinking = o.Mapping.PublishThinking },
            time);
    }

    /// <summary>The agent's public key (hex) every event is signed with.</summary>
    public string PublicKeyHex => _keys.PublicKeyHex;

    /// <summary>The session coordinate for <paramref name="sid"/> under this worker's key.</summary>
    public string CoordinateOf(string sid) => TrajectoryKinds.Coordinate(_keys.PublicKeyHex, sid);

    /// <summary>Reads a run file (any ingest format; OTLP files may hold several runs) and commits each run.</summary>
    public async Task<IReadOnlyList<CommitResult>> CommitFileAsync(string path, TrajectoryFormat format, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        IngestResult ingest = await _ingest.ReadFileAsync(path, format, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (ingest.Trajectories.Count == 0)
        {
            throw new IngestException(path, null, null, "holds no agent run");
        }

        var results = new List<CommitResult>(ingest.Trajectories.Count);
        foreach (Trajectory trajectory in ingest.Trajectories)
        {
            results.Add(await CommitAsync(trajectory, path, cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    /// <summary>
    /// Commits a whole run (or the start of a live one). A session already in the outbox gets only
    /// the steps it lacks (and the final version when the run has now ended); a step that differs
    /// from the stored one is refused with <see cref="OutboxConflictException"/>.
    /// </summary>
    public async Task<CommitResult> CommitAsync(Trajectory trajectory, string? source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        string coordinate = CoordinateOf(trajectory.Session.Sid);
        SemaphoreSlim gate = LockFor(coordinate);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            StoredSession? stored = await LoadAsync(coordinate, cancellationToken).ConfigureAwait(false);
            if (stored is null)
            {
                PublishResult created = _pipeline.Publish(trajectory, _keys.Key);
                return await StoreAsync(created, null, CommitKind.Created, source, cancellationToken).ConfigureAwait(false);
            }

            PublishResult full = _pipeline.Publish(trajectory, _keys.Key);
            IReadOnlyList<string> storedContents = stored.State.StepContents;
            IReadOnlyList<string> newContents = full.Mapped.State.StepContents;
            int common = Math.Min(storedContents.Count, newContents.Count);
            for (int i = 0; i < common; i++)
            {
                if (!string.Equals(storedContents[i], newContents[i], StringComparison.Ordinal))
                {
                    throw new OutboxConflictException(
                        $"{source ?? "input"}: session '{trajectory.Session.Sid}' step {i + 1} differs from the step already committed; a published step is never replaced");
                }
            }

            Step[] extra = trajectory.Steps.Skip(storedContents.Count).ToArray();
            DateTimeOffset? endedAt = stored.Ended ? null : trajectory.Session.EndedAt;
            if (extra.Length == 0 && endedAt is null)
            {
                await RepairArchiveAsync(stored, full, cancellationToken).ConfigureAwait(false);
                return Result(stored.State, stored.LatestSessionId, CommitKind.Unchanged, 0, null);
            }

            PublishResult appended = _pipeline.Append(stored.State, extra, _keys.Key, endedAt);
            return await StoreAsync(appended, stored, CommitKind.Appended, source, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Appends steps to a stored session and commits a new session version (final when
    /// <paramref name="endedAt"/> is given or the session had already ended, e.g. a reward after the end).
    /// </summary>
    public async Task<CommitResult> AppendStepsAsync(string sid, IReadOnlyList<Step> steps, DateTimeOffset? endedAt, string? source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sid);
        ArgumentNullException.ThrowIfNull(steps);
        string coordinate = CoordinateOf(sid);
        SemaphoreSlim gate = LockFor(coordinate);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            StoredSession stored = await LoadAsync(coordinate, cancellationToken).ConfigureAwait(false)
                ?? throw new SessionNotFoundException(sid);
            if (steps.Count == 0 && (endedAt is null || stored.Ended))
            {
                return Result(stored.State, stored.LatestSessionId, CommitKind.Unchanged, 0, null);
            }

            PublishResult appended = _pipeline.Append(stored.State, steps, _keys.Key, stored.Ended ? null : endedAt);
            return await StoreAsync(appended, stored, CommitKind.Appended, source, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The stored session for <paramref name="sid"/>, or null.</summary>
    /// <inheritdoc />
    public async Task EnsureArchivedAsync(Trajectory trajectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        string coordinate = CoordinateOf(trajectory.Session.Sid);
        SemaphoreSlim gate = LockFor(coordinate);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            StoredSession? stored = await LoadAsync(coordinate, cancellationToken).ConfigureAwait(false);
            if (stored is null)
            {
                return;
            }

            IReadOnlyList<NostrEvent> all = await _store.GetEventsAsync(coordinate, cancellationToken).ConfigureAwait(false);
            if (_archive.Holds(stored.State.Sid, all.Count))
            {
                return;
            }

            // Mapping again is deterministic for the outputs and the report, which is what the archive needs besides the stored events.
            PublishResult full = _pipeline.Publish(trajectory, _keys.Key);
            await RepairArchiveAsync(stored, full, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    public Task<StoredSession?> GetSessionAsync(string sid, CancellationToken cancellationToken) =>
        _store.GetSessionAsync(CoordinateOf(sid), cancellationToken);

    async Task<SinkSession?> ITrajectorySink.FindAsync(string sid, CancellationToken cancellationToken)
    {
        StoredSession? s = await GetSessionAsync(sid, cancellationToken).ConfigureAwait(false);
        return s is null ? null : new SinkSession(s.State.Sid, s.State.StepCount, s.Ended);
    }

    async Task<SinkSession> ITrajectorySink.CommitAsync(Trajectory trajectory, string source, CancellationToken cancellationToken)
    {
        CommitResult r = await CommitAsync(trajectory, source, cancellationToken).ConfigureAwait(false);
        return new SinkSession(r.Sid, r.StepCount, r.Ended);
    }

    async Task<SinkSession> ITrajectorySink.AppendAsync(string sid, IReadOnlyList<Step> steps, DateTimeOffset? endedAt, string source, CancellationToken cancellationToken)
    {
        CommitResult r = await AppendStepsAsync(sid, steps, endedAt, source, cancellationToken).ConfigureAwait(false);
        return new SinkSession(r.Sid, r.StepCount, r.Ended);
    }

    private async Task<CommitResult> StoreAsync(PublishResult result, StoredSession? before, CommitKind kind, string? source, CancellationToken cancellationToken)
    {
        MappedTrajectory mapped = result.Mapped;
        PublishedState state = mapped.State;
        var events = new List<NostrEvent>(mapped.Events);
        NostrEvent latest = mapped.LatestSession;
        long? receiptCreatedAt = null;
        string? receiptId = null;
        if (_receipt.Enabled && state.Trajectory.Session.IsComplete && latest.Tags.FindValue("ended_at") is not null)
        {
            long minimum = before?.ReceiptCreatedAt + 1 ?? 0;
            long createdAt = Math.Max(Math.Max(_time.GetUtcNow().ToUnixTimeSeconds(), latest.CreatedAt), minimum);
            UnsignedEvent receipt = ReceiptFactory.Build(state, latest, _receipt, _relayHint, createdAt);
            NostrEvent signed = EventSigner.Sign(receipt, _keys.Key);
            events.Add(signed);
            receiptCreatedAt = createdAt;
            receiptId = signed.Id;
        }

        int added;
        try
        {
            added = await _store.CommitAsync(new OutboxCommit(state, events, _relays, _quorum, source, receiptCreatedAt), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _recent.TryRemove(state.Coordinate, out _);
            throw;
        }

        Remember(new StoredSession(
            state,
            latest.Id,
            state.Trajectory.Session.IsComplete,
            source ?? before?.Source,
            before?.CommittedAt ?? _time.GetUtcNow(),
            null,
            receiptCreatedAt ?? before?.ReceiptCreatedAt));
        _metrics.Committed(added);
        LogCommitted(_logger, state.Sid, kind, added, state.StepCount);
        _notifications.Committed();
        await ArchiveAsync(state, mapped, result.Report, cancellationToken).ConfigureAwait(false);
        return Result(state, latest.Id, kind, added, receiptId);
    }

    private async Task RepairArchiveAsync(StoredSession stored, PublishResult full, CancellationToken cancellationToken)
    {
        try
        {
            IReadOnlyList<NostrEvent> all = await _store.GetEventsAsync(stored.Coordinate, cancellationToken).ConfigureAwait(false);
            if (!_archive.Holds(stored.State.Sid, all.Count))
            {
                // The same run maps to the same full outputs and redaction report as when it was committed.
                await _archive.WriteAsync(stored.State, all, full.Mapped.FullOutputs, full.Report, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogArchiveFailed(_logger, stored.State.Sid, ex);
        }
    }

    private async Task ArchiveAsync(PublishedState state, MappedTrajectory mapped, RedactionReport report, CancellationToken cancellationToken)
    {
        try
        {
            IReadOnlyList<NostrEvent> all = await _store.GetEventsAsync(state.Coordinate, cancellationToken).ConfigureAwait(false);
            await _archive.WriteAsync(state, all, mapped.FullOutputs, report, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The outbox is the record; a full disk must not stop publishing, but it must be seen.
            LogArchiveFailed(_logger, state.Sid, ex);
        }
    }

    private CommitResult Result(PublishedState state, string latestId, CommitKind kind, int added, string? receiptId)
    {
        string naddr = Nip19Codec.Encode(new NAddr(state.Sid, state.PubKey, TrajectoryKinds.Session, _relayHint.Length == 0 ? [] : [_relayHint]));
        return new CommitResult(state.Sid, state.Coordinate, naddr, kind, added, state.StepCount, state.Trajectory.Session.IsComplete, latestId, receiptId);
    }

    /// <summary>
    /// The session as last committed. Every write goes through this object under the session's lock,
    /// so a remembered state is current and a live run's appends skip re-reading its whole history.
    /// </summary>
    private async Task<StoredSession?> LoadAsync(string coordinate, CancellationToken cancellationToken)
    {
        if (_recent.TryGetValue(coordinate, out StoredSession? cached))
        {
            return cached;
        }

        StoredSession? stored = await _store.GetSessionAsync(coordinate, cancellationToken).ConfigureAwait(false);
        if (stored is not null)
        {
            Remember(stored);
        }

        return stored;
    }

    private void Remember(StoredSession session)
    {
        if (_recent.Count >= CachedSessions)
        {
            _recent.Clear();
        }

        _recent[session.Coordinate] = session;
    }

    private SemaphoreSlim LockFor(string coordinate) =>
        _locks[(int)((uint)StringComparer.Ordinal.GetHashCode(coordinate) % LockStripes)];

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {Sid}: {Kind}, {Added} new events in the outbox ({Steps} steps)")]
    private static partial void LogCommitted(ILogger logger, string sid, CommitKind kind, int added, int steps);

    [LoggerMessage(Level = LogLevel.Error, Message = "Session {Sid}: the local archive could not be written")]
    private static partial void LogArchiveFailed(ILogger logger, string sid, Exception exception);
}
