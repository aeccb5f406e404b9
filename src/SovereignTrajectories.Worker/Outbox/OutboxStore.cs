using System.Globalization;
using Microsoft.Data.Sqlite;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Trajectories.Mapping;
using SovereignTrajectories.Trajectories.Model;
using SovereignTrajectories.Trajectories.Replay;

namespace SovereignTrajectories.Worker.Outbox;

/// <summary>
/// The durable outbox: SQLite in WAL mode. A run's signed events are committed in one transaction
/// before anything is sent; each (event, relay) delivery keeps its attempts, last outcome and next
/// attempt time; <c>UNIQUE(coordinate, seq)</c> makes a second, different event for a step impossible.
/// The session's mapping state is stored with it so appends continue where the last commit stopped.
/// Thread-safe: one connection behind a gate (SQLite serialises writers anyway).
/// </summary>
public sealed class OutboxStore : IDisposable
{
    private const int SchemaVersion = 1;

    /// <summary>Bounds one grouped transaction, so a flood of commits still sees steady progress.</summary>
    private const int MaxCommitsPerTransaction = 64;

    private static readonly Lazy<bool> NativeInit = new(() =>
    {
        SQLitePCL.Batteries_V2.Init();
        return true;
    });

    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly System.Collections.Concurrent.ConcurrentQueue<QueuedCommit> _queue = new();
    private readonly TimeProvider _time;

    private OutboxStore(SqliteConnection connection, string path, TimeProvider time)
    {
        _connection = connection;
        _time = time;
        Path = path;
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>Opens (creating when absent) the outbox at <paramref name="path"/>.</summary>
    public static OutboxStore Open(string path, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _ = NativeInit.Value;
        string full = System.IO.Path.GetFullPath(path);
        string? dir = System.IO.Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = false,
        }.ToString());
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA busy_timeout=10000;");
            Execute(connection, "PRAGMA journal_mode=WAL;");
            Execute(connection, "PRAGMA synchronous=FULL;");
            Execute(connection, "PRAGMA foreign_keys=ON;");
            CreateSchema(connection, full);
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new IOException($"{full}: cannot open the outbox database: {ex.Message}", ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        return new OutboxStore(connection, full, time ?? TimeProvider.System);
    }

    /// <summary>The session's stored state, or null when the outbox has never seen it.</summary>
    public async Task<StoredSession?> GetSessionAsync(string coordinate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(coordinate);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using SqliteCommand cmd = Command(
                "SELECT sid, pubkey, source, state_replay, opening_id, last_session_created_at, last_step_created_at, latest_session_id, ended, committed_at, published_at, receipt_created_at FROM sessions WHERE coordinate=$c",
                ("$c", coordinate));
            string sid, pubkey, replay, openingId, latest;
            string? source;
            long lastSession, lastStep, committed;
            long? published, receipt;
            bool ended;
            using (SqliteDataReader r = cmd.ExecuteReader())
            {
                if (!r.Read())
                {
                    return null;
                }

                sid = r.GetString(0);
                pubkey = r.GetString(1);
                source = r.IsDBNull(2) ? null : r.GetString(2);
                replay = r.GetString(3);
                openingId = r.GetString(4);
                lastSession = r.GetInt64(5);
                lastStep = r.GetInt64(6);
                latest = r.GetString(7);
                ended = r.GetInt64(8) != 0;
                committed = r.GetInt64(9);
                published = r.IsDBNull(10) ? null : r.GetInt64(10);
                receipt = r.IsDBNull(11) ? null : r.GetInt64(11);
            }

            var stepIds = new List<string>();
            var stepContents = new List<string>();
            using (SqliteCommand steps = Command("SELECT id, json FROM events WHERE coordinate=$c AND seq IS NOT NULL ORDER BY seq", ("$c", coordinate)))
            using (SqliteDataReader r = steps.ExecuteReader())
            {
                while (r.Read())
                {
                    stepIds.Add(r.GetString(0));
                    stepContents.Add(EventParser.Parse(r.GetString(1)).Content);
                }
            }

            Trajectory trajectory = ReplayReader.Read(replay, $"{Path} (session {sid})");
            var state = new PublishedState(trajectory, pubkey, openingId, ValueList.From(stepIds), ValueList.From(stepContents), lastSession, lastStep);
            return new StoredSession(
                state,
                latest,
                ended,
                source,
                DateTimeOffset.FromUnixTimeMilliseconds(committed),
                published is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(published.Value),
                receipt);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Writes the state and the events of one commit, all or nothing; events already held (same id) are skipped.
    /// Commits that arrive while another is being written are grouped into the next transaction
    /// (each in its own savepoint, so one conflict fails only its own commit) and share one fsync:
    /// that, not SQL, is what bounds commits per second on a real disk.
    /// </summary>
    /// <returns>How many events were new.</returns>
    /// <exception cref="OutboxConflictException">A step's seq already has a different event.</exception>
    public async Task<int> CommitAsync(OutboxCommit commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commit);
        if (commit.Relays.Count == 0)
        {
            throw new ArgumentException("a commit needs at least one relay to deliver to", nameof(commit));
        }

        // Serialised outside the gate so concurrent callers do this work in parallel.
        var entry = new QueuedCommit(commit, ReplayWriter.ToJsonl(commit.State.Trajectory), commit.Events.Select(CanonicalJson.Serialize).ToArray());
        _queue.Enqueue(entry);
        try
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            if (entry.TryAbandon())
            {
                throw;
            }

            // A writer already took it: its outcome is decided there.
            return await entry.Result.ConfigureAwait(false);
        }

        try
        {
            // A transaction takes at most MaxCommitsPerTransaction, so a caller deep in the queue writes until its own is done.
            while (!entry.Result.IsCompleted && !_queue.IsEmpty)
            {
                WriteQueuedCommits();
            }
        }
        finally
        {
            _gate.Release();
        }

        return await entry.Result.ConfigureAwait(false);
    }

    /// <summary>Deliveries to <paramref name="relay"/> that are due now, oldest event first.</summary>
    public async Task<IReadOnlyList<PendingDelivery>> GetDueAsync(string relay, int limit, CancellationToken cancellationToken) =>
        (await GetDueAsync(relay, limit, [], cancellationToken).ConfigureAwait(false)).Due;

    /// <summary>
    /// Up to <paramref name="limit"/> deliveries to <paramref name="relay"/> due now, oldest event first,
    /// leaving out <paramref name="skip"/> (the ones already on the wire); with the time the next
    /// pending one falls due after now.
    /// </summary>
    public async Task<DueDeliveries> GetDueAsync(string relay, int limit, IReadOnlyCollection<long> skip, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        string skipped = "[" + string.Join(',', skip.Select(n => n.ToString(CultureInfo.InvariantCulture))) + "]";
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            long now = NowMs();

            // Walks the pending rows of this relay in event order (deliveries_pending) and stops at the
            // limit, so the cost follows the window, not the backlog or the outbox's history.
            using SqliteCommand cmd = Command(
                """
                SELECT d.event_no, e.id, e.coordinate, e.json, d.attempts FROM deliveries d INDEXED BY deliveries_pending JOIN events e ON e.no=d.event_no
                WHERE d.relay=$r AND d.status='pending' AND d.next_attempt_at<=$now AND d.event_no NOT IN (SELECT value FROM json_each($skip))
                ORDER BY d.event_no LIMIT $limit
                """,
                ("$r", relay), ("$now", now), ("$skip", skipped), ("$limit", limit));
            var due = new List<PendingDelivery>();
            using (SqliteDataReader r = cmd.ExecuteReader())
            {
                while (r.Read())
                {
                    due.Add(new PendingDelivery(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt32(4)));
                }
            }

            using SqliteCommand next = Command(
                "SELECT min(next_attempt_at) FROM deliveries WHERE relay=$r AND status='pending' AND next_attempt_at>$now",
                ("$r", relay), ("$now", now));
            object? value = next.ExecuteScalar();
            return new DueDeliveries(due, value is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Records what one relay did with a batch of deliveries, in one transaction; updates quorum counts,
    /// supersedes older versions the relay no longer needs, and returns the sessions that just became published.
    /// </summary>
    public async Task<IReadOnlyList<string>> RecordAsync(string relay, IReadOnlyList<DeliveryAttempt> attempts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempts);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            long now = NowMs();
            var touched = new HashSet<string>(StringComparer.Ordinal);

            // Losing a delivery record to a power cut only means sending the same signed event again,
            // which is idempotent, so these commits skip the fsync (WAL keeps them crash-safe for the process).
            Execute(_connection, "PRAGMA synchronous=NORMAL;");
            using SqliteTransaction tx = _connection.BeginTransaction(deferred: false);
            string? lastError = null;
            string lastOutcome = string.Empty;
            bool anyAccepted = false;
            bool anyFailure = false;
            DateTimeOffset? cooldown = null;
            foreach (DeliveryAttempt a in attempts)
            {
                using SqliteCommand update = Command(
                    """
                    UPDATE deliveries SET status=$s, attempts=attempts+$inc, last_outcome=$o, last_message=$m, next_attempt_at=$next, updated_at=$now
                    WHERE event_no=$no AND relay=$r AND status='pending'
                    """,
                    tx,
                    ("$s", Name(a.Status)), ("$inc", a.CountsAsAttempt ? 1 : 0), ("$o", a.Outcome), ("$m", a.Message),
                    ("$next", a.NextAttemptAt.ToUnixTimeMilliseconds()), ("$now", now), ("$no", a.EventNo), ("$r", relay));
                if (update.ExecuteNonQuery() == 0)
                {
                    continue;
                }

                lastOutcome = a.Outcome;
                cooldown = a.RelayCooldownUntil ?? cooldown;
                if (a.Status == DeliveryStatus.Accepted)
                {
                    anyAccepted = true;
                    using SqliteCommand accept = Command(
                        """
                        UPDATE events SET accepted=accepted+1, quorum_at=CASE WHEN quorum_at IS NULL AND accepted+1>=quorum THEN $now ELSE quorum_at END
                        WHERE no=$no RETURNING coordinate, address
                        """,
                        tx,
                        ("$now", now), ("$no", a.EventNo));
                    string? address = null;
                    using (SqliteDataReader r = accept.ExecuteReader())
                    {
                        if (r.Read())
                        {
                            touched.Add(r.GetString(0));
                            address = r.IsDBNull(1) ? null : r.GetString(1);
                        }
                    }

                    if (address is not null)
                    {
                        using SqliteCommand supersede = Command(
                            """
                            UPDATE deliveries SET status='superseded', updated_at=$now
                            WHERE relay=$r AND status='pending' AND event_no IN (SELECT no FROM events WHERE address=$a AND no<$no)
                            """,
                            tx,
                            ("$now", now), ("$r", relay), ("$a", address), ("$no", a.EventNo));
                        supersede.ExecuteNonQuery();
                    }
                }
                else if (a.CountsAsAttempt)
                {
                    anyFailure = true;
                    lastError = $"{a.Outcome}: {a.Message}";
                }
            }

            if (lastOutcome.Length > 0)
            {
                using SqliteCommand health = Command(
                    """
                    INSERT INTO relays(relay, last_outcome, last_error, last_error_at, last_success_at, cooldown_until, consecutive_failures)
                    VALUES($r, $o, $err, CASE WHEN $err IS NULL THEN NULL ELSE $now END, CASE WHEN $ok THEN $now ELSE NULL END, $cool, CASE WHEN $fail AND NOT $ok THEN 1 ELSE 0 END)
                    ON CONFLICT(relay) DO UPDATE SET
                      last_outcome=excluded.last_outcome,
                      last_error=coalesce(excluded.last_error, relays.last_error),
                      last_error_at=coalesce(excluded.last_error_at, relays.last_error_at),
                      last_success_at=coalesce(excluded.last_success_at, relays.last_success_at),
                      cooldown_until=coalesce(excluded.cooldown_until, relays.cooldown_until),
                      consecutive_failures=CASE WHEN $ok THEN 0 WHEN $fail THEN relays.consecutive_failures+1 ELSE relays.consecutive_failures END
                    """,
                    tx,
                    ("$r", relay), ("$o", lastOutcome), ("$err", (object?)lastError ?? DBNull.Value), ("$now", now), ("$ok", anyAccepted),
                    ("$fail", anyFailure), ("$cool", (object?)cooldown?.ToUnixTimeMilliseconds() ?? DBNull.Value));
                health.ExecuteNonQuery();
            }

            var published = new List<string>();
            foreach (string coordinate in touched)
            {
                using SqliteCommand done = Command(
                    """
                    UPDATE sessions SET published_at=$now WHERE coordinate=$c AND published_at IS NULL
                    AND NOT EXISTS (SELECT 1 FROM events WHERE coordinate=$c AND required=1 AND accepted<quorum)
                    """,
                    tx,
                    ("$now", now), ("$c", coordinate));
                if (done.ExecuteNonQuery() == 1)
                {
                    published.Add(coordinate);
                }
            }

            tx.Commit();
            return published;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Aligns deliveries with the relays configured now: a relay added since gets every current event
    /// (newest session versions, steps, receipts); pending deliveries to a relay no longer configured
    /// are given up with that reason, so the outbox can drain.
    /// </summary>
    /// <returns>Deliveries added and deliveries given up.</returns>
    public async Task<(int Added, int Dropped)> AlignRelaysAsync(IReadOnlyList<string> relays, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(relays);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            long now = NowMs();
            Execute(_connection, "PRAGMA synchronous=FULL;");
            using SqliteTransaction tx = _connection.BeginTransaction(deferred: false);
            int added = 0;
            foreach (string relay in relays)
            {
                using SqliteCommand add = Command(
                    """
                    INSERT INTO deliveries(event_no, relay, status, attempts, next_attempt_at, updated_at)
                    SELECT e.no, $r, 'pending', 0, $now, $now FROM events e
                    WHERE e.required=1 AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_no=e.no AND d.relay=$r)
                    """,
                    tx,
                    ("$r", relay), ("$now", now));
                added += add.ExecuteNonQuery();
            }

            string placeholders = string.Join(",", relays.Select((_, i) => "$k" + i.ToString(CultureInfo.InvariantCulture)));
            using SqliteCommand drop = Command(
                $"UPDATE deliveries SET status='failed', last_outcome='removed', last_message='relay no longer configured', updated_at=$now WHERE status='pending' AND relay NOT IN ({placeholders})",
                tx,
                [("$now", now), .. relays.Select((r, i) => ("$k" + i.ToString(CultureInfo.InvariantCulture), (object?)r))]);
            int dropped = relays.Count == 0 ? 0 : drop.ExecuteNonQuery();
            tx.Commit();
            return (added, dropped);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Notes that a relay could not be reached (no delivery attempt is counted for it).</summary>
    public async Task RecordRelayUnreachableAsync(string relay, string error, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using SqliteCommand cmd = Command(
                """
                INSERT INTO relays(relay, last_outcome, last_error, last_error_at, consecutive_failures) VALUES($r, 'not-connected', $err, $now, 1)
                ON CONFLICT(relay) DO UPDATE SET last_outcome='not-connected', last_error=$err, last_error_at=$now, consecutive_failures=relays.consecutive_failures+1
                """,
                ("$r", relay), ("$err", "not-connected: " + error), ("$now", NowMs()));
            cmd.ExecuteNonQuery();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>How one session's current events stand.</summary>
    public async Task<SessionDeliveryStatus?> GetSessionStatusAsync(string coordinate, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            string sid;
            bool published;
            using (SqliteCommand s = Command("SELECT sid, published_at FROM sessions WHERE coordinate=$c", ("$c", coordinate)))
            using (SqliteDataReader r = s.ExecuteReader())
            {
                if (!r.Read())
                {
                    return null;
                }

                sid = r.GetString(0);
                published = !r.IsDBNull(1);
            }

            using SqliteCommand cmd = Command(
                """
                SELECT e.accepted>=e.quorum,
                       e.accepted + (SELECT count(*) FROM deliveries d WHERE d.event_no=e.no AND d.status='pending') < e.quorum,
                       (SELECT group_concat(d.relay || ': ' || d.last_outcome || ' ' || coalesce(d.last_message, ''), '; ') FROM deliveries d WHERE d.event_no=e.no AND d.status='failed')
                FROM events e WHERE e.coordinate=$c AND e.required=1
                """,
                ("$c", coordinate));
            int required = 0, atQuorum = 0, unreachable = 0;
            var reasons = new List<string>();
            using (SqliteDataReader r = cmd.ExecuteReader())
            {
                while (r.Read())
                {
                    required++;
                    if (r.GetInt64(0) != 0)
                    {
                        atQuorum++;
                    }
                    else if (r.GetInt64(1) != 0)
                    {
                        unreachable++;
                        if (!r.IsDBNull(2) && reasons.Count < 5)
                        {
                            reasons.Add(r.GetString(2));
                        }
                    }
                }
            }

            return new SessionDeliveryStatus(coordinate, sid, published, required, atQuorum, unreachable, reasons);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Every session coordinate in commit order.</summary>
    public async Task<IReadOnlyList<string>> GetSessionCoordinatesAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using SqliteCommand cmd = Command("SELECT coordinate FROM sessions ORDER BY committed_at, coordinate");
            var list = new List<string>();
            using SqliteDataReader r = cmd.ExecuteReader();
            while (r.Read())
            {
                list.Add(r.GetString(0));
            }

            return list;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Every signed event stored for a session, in commit order (for the archive and tests).</summary>
    public async Task<IReadOnlyList<NostrEvent>> GetEventsAsync(string coordinate, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using SqliteCommand cmd = Command("SELECT json FROM events WHERE coordinate=$c ORDER BY no", ("$c", coordinate));
            var list = new List<NostrEvent>();
            using SqliteDataReader r = cmd.ExecuteReader();
            while (r.Read())
            {
                list.Add(EventParser.Parse(r.GetString(0)));
            }

            return list;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Every delivery to <paramref name="relay"/>, in commit order.</summary>
    public async Task<IReadOnlyList<DeliveryRecord>> GetDeliveriesAsync(string relay, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(relay);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using SqliteCommand cmd = Command(
                "SELECT e.id, e.kind, d.status, d.attempts, d.last_outcome FROM deliveries d JOIN events e ON e.no=d.event_no WHERE d.relay=$r ORDER BY e.no",
                ("$r", relay));
            var list = new List<DeliveryRecord>();
            using SqliteDataReader r = cmd.ExecuteReader();
            while (r.Read())
            {
                list.Add(new DeliveryRecord(r.GetString(0), r.GetInt32(1), relay, ParseStatus(r.GetString(2)), r.GetInt32(3), r.IsDBNull(4) ? null : r.GetString(4)));
            }

            return list;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>How many deliveries are still pending (the outbox depth).</summary>
    public async Task<long> GetDepthAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The partial index holds only pending rows: counting them does not walk the outbox's whole history.
            using SqliteCommand cmd = Command("SELECT count(*) FROM deliveries INDEXED BY deliveries_pending WHERE status='pending'");
            return (long)cmd.ExecuteScalar()!;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The whole outbox at a glance: depth, sessions, each relay.</summary>
    public async Task<OutboxStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            long depth = Scalar("SELECT count(*) FROM deliveries WHERE status='pending'");
            long awaiting = Scalar("SELECT count(*) FROM events WHERE required=1 AND accepted<quorum");
            long pending = Scalar("SELECT count(*) FROM sessions WHERE published_at IS NULL");
            long published = Scalar("SELECT count(*) FROM sessions WHERE published_at IS NOT NULL");
            long failed = Scalar("SELECT count(*) FROM deliveries WHERE status='failed'");
            using SqliteCommand cmd = Command(
                """
                SELECT r.relay,
                  (SELECT count(*) FROM deliveries d WHERE d.relay=r.relay AND d.status='pending'),
                  (SELECT count(*) FROM deliveries d WHERE d.relay=r.relay AND d.status='accepted'),
                  (SELECT count(*) FROM deliveries d WHERE d.relay=r.relay AND d.status='failed'),
                  h.last_outcome, h.last_error, h.last_error_at, h.last_success_at, h.cooldown_until, coalesce(h.consecutive_failures, 0)
                FROM (SELECT DISTINCT relay FROM deliveries) r LEFT JOIN relays h ON h.relay=r.relay ORDER BY r.relay
                """);
            var relays = new List<RelayHealth>();
            using (SqliteDataReader r = cmd.ExecuteReader())
            {
                while (r.Read())
                {
                    relays.Add(new RelayHealth(
                        r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3),
                        r.IsDBNull(4) ? null : r.GetString(4),
                        r.IsDBNull(5) ? null : r.GetString(5),
                        Time(r, 6), Time(r, 7), Time(r, 8), r.GetInt32(9)));
                }
            }

            return new OutboxStatus(depth, awaiting, pending, published, failed, relays);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _connection.Dispose();
        _gate.Dispose();
    }

    private static DateTimeOffset? Time(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(i));

    private static string Name(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Pending => "pending",
        DeliveryStatus.Accepted => "accepted",
        DeliveryStatus.Failed => "failed",
        DeliveryStatus.Superseded => "superseded",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown delivery status"),
    };

    private static DeliveryStatus ParseStatus(string name) => name switch
    {
        "pending" => DeliveryStatus.Pending,
        "accepted" => DeliveryStatus.Accepted,
        "failed" => DeliveryStatus.Failed,
        "superseded" => DeliveryStatus.Superseded,
        _ => throw new InvalidDataException($"outbox: unknown delivery status '{name}'"),
    };

    private static int ParseSeq(NostrEvent e)
    {
        string? text = e.Tags.FindValue("seq");
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int seq) && seq >= 1
            ? seq
            : throw new ArgumentException($"step event {e.Id} has no valid seq tag (got '{text}')", nameof(e));
    }

    /// <summary>Takes every queued commit and writes them in one transaction; called under the gate.</summary>
    private void WriteQueuedCommits()
    {
        var batch = new List<QueuedCommit>();
        while (batch.Count < MaxCommitsPerTransaction && _queue.TryDequeue(out QueuedCommit? next))
        {
            if (next.TryClaim())
            {
                batch.Add(next);
            }
        }

        if (batch.Count == 0)
        {
            return;
        }

        var written = new List<(QueuedCommit Entry, int Inserted)>(batch.Count);
        try
        {
            long now = NowMs();

            // A committed run must survive a power cut too (its input may be archived next): fsync this one.
            Execute(_connection, "PRAGMA synchronous=FULL;");
            using SqliteTransaction tx = _connection.BeginTransaction(deferred: false);
            for (int i = 0; i < batch.Count; i++)
            {
                QueuedCommit entry = batch[i];
                string savepoint = "c" + i.ToString(CultureInfo.InvariantCulture);
                tx.Save(savepoint);
                try
                {
                    written.Add((entry, WriteCommit(entry, now, tx)));
                    tx.Release(savepoint);
                }
                catch (OutboxConflictException ex)
                {
                    tx.Rollback(savepoint);
                    tx.Release(savepoint);
                    entry.Fail(ex);
                }
            }

            tx.Commit();
        }
        catch (Exception ex)
        {
            // Nothing of this transaction is stored: every commit in it fails (the conflicting ones already have).
            foreach (QueuedCommit entry in batch)
            {
                entry.Fail(ex);
            }

            return;
        }

        foreach ((QueuedCommit entry, int inserted) in written)
        {
            entry.Complete(inserted);
        }
    }

    private int WriteCommit(QueuedCommit entry, long now, SqliteTransaction tx)
    {
        OutboxCommit commit = entry.Commit;
        PublishedState state = commit.State;
        string coordinate = state.Coordinate;
        NostrEvent? latestSession = commit.Events.LastOrDefault(e => TrajectoryKinds.IsSession(e.Kind));
        string latestId = latestSession?.Id ?? LatestSessionId(coordinate, tx) ?? state.OpeningId;
        using (SqliteCommand upsert = Command(
            """
            INSERT INTO sessions(coordinate, sid, pubkey, source, state_replay, opening_id, last_session_created_at, last_step_created_at, latest_session_id, ended, step_count, committed_at, updated_at, published_at, receipt_created_at)
            VALUES($c, $sid, $pk, $src, $replay, $open, $ls, $lst, $latest, $ended, $n, $now, $now, NULL, $receipt)
            ON CONFLICT(coordinate) DO UPDATE SET
              source=coalesce(excluded.source, sessions.source), state_replay=excluded.state_replay, opening_id=excluded.opening_id,
              last_session_created_at=excluded.last_session_created_at, last_step_created_at=excluded.last_step_created_at,
              latest_session_id=excluded.latest_session_id, ended=excluded.ended, step_count=excluded.step_count, updated_at=excluded.updated_at,
              published_at=CASE WHEN $new > 0 THEN NULL ELSE sessions.published_at END,
              receipt_created_at=coalesce(excluded.receipt_created_at, sessions.receipt_created_at)
            """,
            tx,
            ("$c", coordinate), ("$sid", state.Sid), ("$pk", state.PubKey), ("$src", (object?)commit.Source ?? DBNull.Value),
            ("$replay", entry.Replay), ("$open", state.OpeningId), ("$ls", state.LastSessionCreatedAt), ("$lst", state.LastStepCreatedAt),
            ("$latest", latestId), ("$ended", state.Trajectory.Session.IsComplete ? 1 : 0), ("$n", state.StepCount), ("$now", now),
            ("$receipt", (object?)commit.ReceiptCreatedAt ?? DBNull.Value), ("$new", commit.Events.Count)))
        {
            upsert.ExecuteNonQuery();
        }

        using SqliteCommand insert = Command(
            """
            INSERT INTO events(id, coordinate, kind, seq, address, json, required, quorum, accepted, committed_at)
            VALUES($id, $c, $kind, $seq, $addr, $json, 1, $q, 0, $now)
            ON CONFLICT(id) DO NOTHING
            RETURNING no
            """,
            tx,
            ("$id", string.Empty), ("$c", coordinate), ("$kind", 0), ("$seq", DBNull.Value),
            ("$addr", DBNull.Value), ("$json", string.Empty), ("$q", commit.Quorum), ("$now", now));
        using SqliteCommand delivery = Command(
            "INSERT INTO deliveries(event_no, relay, status, attempts, next_attempt_at, updated_at) VALUES($no, $r, 'pending', 0, $now, $now)",
            tx,
            ("$no", 0L), ("$r", string.Empty), ("$now", now));
        using SqliteCommand older = Command("UPDATE events SET required=0 WHERE address=$a AND no<$no AND required=1", tx, ("$a", string.Empty), ("$no", 0L));
        int inserted = 0;
        for (int i = 0; i < commit.Events.Count; i++)
        {
            NostrEvent e = commit.Events[i];
            int? seq = TrajectoryKinds.IsStep(e.Kind) ? ParseSeq(e) : null;
            string? address = e.IsAddressable ? $"{e.Kind}:{e.PubKey}:{e.DTag}" : null;
            long eventNo;
            try
            {
                insert.Parameters["$id"].Value = e.Id;
                insert.Parameters["$kind"].Value = e.Kind;
                insert.Parameters["$seq"].Value = (object?)seq ?? DBNull.Value;
                insert.Parameters["$addr"].Value = (object?)address ?? DBNull.Value;
                insert.Parameters["$json"].Value = entry.Json[i];
                object? result = insert.ExecuteScalar();
                if (result is null or DBNull)
                {
                    continue;
                }

                eventNo = (long)result;
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
            {
                string existing = ExistingStepId(coordinate, seq, tx) ?? "another event";
                throw new OutboxConflictException(
                    $"session {coordinate}: step {seq} already has event {existing}; refusing a second, different event {e.Id} for it (nothing of this commit was written)",
                    ex);
            }

            inserted++;
            foreach (string relay in commit.Relays)
            {
                delivery.Parameters["$no"].Value = eventNo;
                delivery.Parameters["$r"].Value = relay;
                delivery.ExecuteNonQuery();
            }

            if (address is not null)
            {
                // Only the newest version of an addressable event decides whether the session is published.
                older.Parameters["$a"].Value = address;
                older.Parameters["$no"].Value = eventNo;
                older.ExecuteNonQuery();
            }
        }

        return inserted;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static void CreateSchema(SqliteConnection connection, string path)
    {
        using (SqliteCommand version = connection.CreateCommand())
        {
            version.CommandText = "PRAGMA user_version;";
            long found = (long)version.ExecuteScalar()!;
            if (found > SchemaVersion)
            {
                throw new IOException($"{path}: outbox schema version {found} is newer than this program understands ({SchemaVersion})");
            }
        }

        Execute(connection, """
            CREATE TABLE IF NOT EXISTS sessions(
              coordinate TEXT PRIMARY KEY,
              sid TEXT NOT NULL,
              pubkey TEXT NOT NULL,
              source TEXT,
              state_replay TEXT NOT NULL,
              opening_id TEXT NOT NULL,
              last_session_created_at INTEGER NOT NULL,
              last_step_created_at INTEGER NOT NULL,
              latest_session_id TEXT NOT NULL,
              ended INTEGER NOT NULL,
              step_count INTEGER NOT NULL,
              committed_at INTEGER NOT NULL,
              updated_at INTEGER NOT NULL,
              published_at INTEGER,
              receipt_created_at INTEGER);
            CREATE TABLE IF NOT EXISTS events(
              no INTEGER PRIMARY KEY AUTOINCREMENT,
              id TEXT NOT NULL UNIQUE,
              coordinate TEXT NOT NULL REFERENCES sessions(coordinate),
              kind INTEGER NOT NULL,
              seq INTEGER,
              address TEXT,
              json TEXT NOT NULL,
              required INTEGER NOT NULL,
              quorum INTEGER NOT NULL,
              accepted INTEGER NOT NULL,
              committed_at INTEGER NOT NULL,
              quorum_at INTEGER,
              UNIQUE(coordinate, seq));
            CREATE INDEX IF NOT EXISTS events_address ON events(address);
            CREATE TABLE IF NOT EXISTS deliveries(
              event_no INTEGER NOT NULL REFERENCES events(no),
              relay TEXT NOT NULL,
              status TEXT NOT NULL,
              attempts INTEGER NOT NULL,
              last_outcome TEXT,
              last_message TEXT,
              next_attempt_at INTEGER NOT NULL,
              updated_at INTEGER NOT NULL,
              PRIMARY KEY(event_no, relay));
            CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries(relay, status, next_attempt_at);
            CREATE INDEX IF NOT EXISTS deliveries_pending ON deliveries(relay, event_no) WHERE status='pending';
            CREATE TABLE IF NOT EXISTS relays(
              relay TEXT PRIMARY KEY,
              last_outcome TEXT,
              last_error TEXT,
              last_error_at INTEGER,
              last_success_at INTEGER,
              cooldown_until INTEGER,
              consecutive_failures INTEGER NOT NULL DEFAULT 0);
            """);
        Execute(connection, "PRAGMA user_version=" + SchemaVersion.ToString(CultureInfo.InvariantCulture) + ";");
    }

    private string? LatestSessionId(string coordinate, SqliteTransaction tx)
    {
        using SqliteCommand cmd = Command("SELECT latest_session_id FROM sessions WHERE coordinate=$c", tx, ("$c", coordinate));
        return cmd.ExecuteScalar() as string;
    }

    private string? ExistingStepId(string coordinate, int? seq, SqliteTransaction tx)
    {
        if (seq is null)
        {
            return null;
        }

        using SqliteCommand cmd = Command("SELECT id FROM events WHERE coordinate=$c AND seq=$s", tx, ("$c", coordinate), ("$s", seq));
        return cmd.ExecuteScalar() as string;
    }

    private long Scalar(string sql)
    {
        using SqliteCommand cmd = Command(sql);
        return (long)cmd.ExecuteScalar()!;
    }

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters) => Command(sql, null, parameters);

    private SqliteCommand Command(string sql, SqliteTransaction? tx, params (string Name, object? Value)[] parameters)
    {
        SqliteCommand cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        foreach ((string name, object? value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return cmd;
    }
}
