using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Filters;

namespace SovereignTrajectories.Audit.Fetching;

/// <summary>
/// Offline mode: events from an archive instead of relays. The path may be a session folder of the
/// worker's archive (<c>events.jsonl</c>, <c>outputs/</c>, <c>statements/</c>), the archive root (one
/// folder per sid), a folder of JSON-lines files (e.g. saved by <c>sovtraj req --json</c>), or one such
/// file. Lines are parsed strictly, in parallel; a bad line is reported with its file and line number
/// and never used. The parser computes each event's id from the bytes it reads; the events a query
/// matches are verified here (signature, and that id against the claimed one), once each, on every
/// core: those of the first query in the same pass that parses them, those of later queries when asked
/// for. The verdicts travel with the batch (<see cref="EventBatch.Checks"/>) for the verifier to
/// report: a forged event is still returned, never dropped. Contents are kept as UTF-8 in one
/// <see cref="Utf8ContentArena"/> per load: an archive is held whole until the verdict, and long tool
/// outputs held as strings would take twice the bytes and be copied by the collector as they age.
/// </summary>
public sealed class ArchiveEventSource : IEventSource
{
    private const int ChunkBytes = 4 * 1024 * 1024;
    private static readonly string[] SkippedFiles = ["REPLAY.jsonl", "redaction-report.jsonl"];

    private readonly string _path;
    private readonly IProgress<AuditProgress>? _progress;
    private readonly EventVerifier.PublicKeyCache _keys = new();
    private List<NostrEvent>? _events;
    private IReadOnlyList<Filter>? _firstQuery;
    private List<int>? _firstMatches;
    private List<EventId32>? _ids;
    private EventCheck?[]? _checks;
    private List<EventParseFailure>? _failures;
    private List<SourceReport>? _reports;

    /// <param name="path">The archive: a session folder, the archive root, a folder of JSON-lines files, or one file.</param>
    /// <param name="progress">Told the bytes read after each chunk of the first load (<see cref="AuditStage.Reading"/>).</param>
    public ArchiveEventSource(string path, IProgress<AuditProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        _progress = progress;
        _path = Path.GetFullPath(path);
        if (!File.Exists(_path) && !Directory.Exists(_path))
        {
            throw new AuditDataException($"--offline {path}: no such file or directory");
        }
    }

    public string Description => $"archive {_path}";

    public bool IsOffline => true;

    public Task<EventBatch> FetchAsync(IReadOnlyList<Filter> filters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filters);
        Load(filters, cancellationToken);

        // The first query's events were matched while parsing (they are the ones verified then).
        List<NostrEvent> all = _events!;
        List<int> matched = _firstMatches!;
        if (!ReferenceEquals(filters, _firstQuery))
        {
            matched = [];
            for (int i = 0; i < all.Count; i++)
            {
                if (Filter.MatchesAny(filters, all[i]))
                {
                    matched.Add(i);
                }
            }
        }

        // Events an earlier query did not ask for are verified now, once each: the id was computed from
        // the bytes while parsing, so only the signature is left, on every core.
        EventCheck?[] checks = _checks!;
        if (_ids is { } ids)
        {
            Parallel.For(0, matched.Count, new ParallelOptions { CancellationToken = cancellationToken }, k =>
            {
                int i = matched[k];
                if (checks[i] is null)
                {
                    EventId32 id = ids[i];
                    checks[i] = EventVerifier.Verify(all[i], id, _keys);
                }
            });
            if (Array.IndexOf(checks, null) < 0)
            {
                _ids = null;
            }
        }

        var events = new List<NostrEvent>(matched.Count);
        var verdicts = new List<EventCheck>(matched.Count);
        foreach (int i in matched)
        {
            events.Add(all[i]);
            verdicts.Add(checks[i]!.Value);
        }

        return Task.FromResult(new EventBatch(events, _failures!, _reports!, verdicts));
    }

    public string? ArtifactsDirectory(string sid)
    {
        ArgumentNullException.ThrowIfNull(sid);
        if (File.Exists(_path))
        {
            return Path.GetDirectoryName(_path);
        }

        if (File.Exists(Path.Combine(_path, "events.jsonl")))
        {
            return _path;
        }

        string name = sid.Trim('.').Length == 0 ? "_" + sid : sid;
        string sub = Path.Combine(_path, name);
        return Directory.Exists(sub) ? sub : null;
    }

    /// <summary>Reads every event of <paramref name="file"/> strictly and in parallel; bad lines go to <paramref name="failures"/>.</summary>
    public static List<NostrEvent> ReadFile(string file, List<EventParseFailure> failures, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(failures);
        var events = new List<NostrEvent>();
        ReadFile(file, new Loaded(events, [], [], failures, NewPool(), null, null, null, null), cancellationToken);
        return events;
    }

    private static void ReadFile(string file, Loaded into, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        byte[] buffer = new byte[ChunkBytes];
        int filled = 0;
        int lineNumber = 0;
        var lines = new List<(int Start, int Length, int Line)>();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            int read = stream.Read(buffer, filled, buffer.Length - filled);
            filled += read;
            bool end = read == 0;
            int consumed = 0;
            lines.Clear();
            for (int at; (at = buffer.AsSpan(consumed, filled - consumed).IndexOf((byte)'\n')) >= 0;)
            {
                lineNumber++;
                lines.Add((consumed, at, lineNumber));
                consumed += at + 1;
            }

            if (end && consumed < filled)
            {
                lineNumber++;
                lines.Add((consumed, filled - consumed, lineNumber));
                consumed = filled;
            }

            ParseLines(file, buffer, lines, into, cancellationToken);
            into.Pool.ForgetIds();
            if (consumed > 0)
            {
                into.Consumed?.Invoke(consumed);
            }

            Array.Copy(buffer, consumed, buffer, 0, filled - consumed);
            filled -= consumed;
            if (end)
            {
                return;
            }
        }
    }

    private static void ParseLines(string file, byte[] buffer, List<(int Start, int Length, int Line)> lines, Loaded into, CancellationToken cancellationToken)
    {
        var parsed = new NostrEvent?[lines.Count];
        var computed = new EventId32[lines.Count];
        var verdicts = new EventCheck?[lines.Count];
        var errors = new string?[lines.Count];
        Parallel.For(0, lines.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            (int start, int length, _) = lines[i];
            ReadOnlySpan<byte> span = buffer.AsSpan(start, length).TrimEnd((byte)'\r');
            if (span.Trim(" \t"u8).IsEmpty)
            {
                return;
            }

            if (!EventParser.TryParse(span, computed[i], into.Pool, into.Contents, out NostrEvent? e, out EventFormatException? error))
            {
                errors[i] = error.Message;
                return;
            }

            parsed[i] = e;

            // The events the first query asks for are verified while their line is at hand, in the same
            // pass on every core: no second walk over the archive, and no core waits at a stage boundary.
            if (into.VerifyNow is { } filters && Filter.MatchesAny(filters, e))
            {
                verdicts[i] = EventVerifier.Verify(e, computed[i], into.Keys);
            }
        });
        for (int i = 0; i < parsed.Length; i++)
        {
            if (parsed[i] is { } e)
            {
                into.Events.Add(e);
                into.Ids.Add(computed[i]);
                into.Checks.Add(verdicts[i]);
            }
            else if (errors[i] is { } reason)
            {
                into.Failures.Add(new EventParseFailure($"{file}:{lines[i].Line}", reason));
            }
        }
    }

    /// <summary>Where one load puts what it reads, and which events it verifies on the way.</summary>
    private sealed record Loaded(
        List<NostrEvent> Events,
        List<EventId32> Ids,
        List<EventCheck?> Checks,
        List<EventParseFailure> Failures,
        EventValuePool Pool,
        Utf8ContentArena? Contents,
        IReadOnlyList<Filter>? VerifyNow,
        EventVerifier.PublicKeyCache? Keys,
        Action<int>? Consumed);

    /// <summary>
    /// One instance, handed out by the parser, for what every step repeats: the pubkey, whole tags that are
    /// the same on every step (coordinate, session, root, action type, model...), and each event id, which
    /// the next step's reply tag names again. A 100,000-step archive holds each of them 100,000 times
    /// otherwise. Ids are forgotten between chunks: a reply names the step just before it, nearly always in
    /// the same chunk.
    /// </summary>
    private static EventValuePool NewPool() =>
        new(["a", "session", "action_type", "tool_invoked", "p", "model", "started_at", "visibility", "alt"]);

    private void Load(IReadOnlyList<Filter> firstQuery, CancellationToken cancellationToken)
    {
        if (_events is not null)
        {
            return;
        }

        IReadOnlyList<string> files = Files();
        long total = 0;
        long read = 0;
        Action<int>? consumed = null;
        if (_progress is { } progress)
        {
            foreach (string file in files)
            {
                try
                {
                    total += new FileInfo(file).Length;
                }
                catch (IOException ex)
                {
                    throw new AuditDataException($"--offline: cannot read {file}: {ex.Message}", ex);
                }
            }

            progress.Report(new AuditProgress(AuditStage.Reading, 0, total));
            consumed = bytes => progress.Report(new AuditProgress(AuditStage.Reading, read += bytes, total));
        }

        var into = new Loaded([], [], [], [], NewPool(), new Utf8ContentArena(), firstQuery, _keys, consumed);
        var reports = new List<SourceReport>();
        foreach (string file in files)
        {
            int before = into.Failures.Count;
            int eventsBefore = into.Events.Count;
            try
            {
                ReadFile(file, into, cancellationToken);
            }
            catch (IOException ex)
            {
                throw new AuditDataException($"--offline: cannot read {file}: {ex.Message}", ex);
            }
            catch (UnauthorizedAccessException ex)
            {
                throw new AuditDataException($"--offline: cannot read {file}: {ex.Message}", ex);
            }

            reports.Add(new SourceReport(file, into.Events.Count - eventsBefore + into.Failures.Count - before, into.Failures.Count - before, 0, true, null));
        }

        if (reports.Count == 0)
        {
            throw new AuditDataException($"--offline {_path}: no events.jsonl or *.jsonl file of events found");
        }

        _events = into.Events;
        _checks = [.. into.Checks];
        _firstQuery = firstQuery;
        _firstMatches = [];
        for (int i = 0; i < _checks.Length; i++)
        {
            if (_checks[i] is not null)
            {
                _firstMatches.Add(i);
            }
        }

        // The computed ids are kept only while some event still waits for a query to verify it.
        _ids = Array.IndexOf(_checks, null) >= 0 ? into.Ids : null;
        _failures = into.Failures;
        _reports = reports;
    }

    private IReadOnlyList<string> Files()
    {
        if (File.Exists(_path))
        {
            return [_path];
        }

        string direct = Path.Combine(_path, "events.jsonl");
        if (File.Exists(direct))
        {
            return [direct];
        }

        var files = Directory.EnumerateFiles(_path, "*.jsonl")
            .Where(f => !SkippedFiles.Contains(Path.GetFileName(f), StringComparer.Ordinal))
            .Concat(Directory.EnumerateDirectories(_path).Select(d => Path.Combine(d, "events.jsonl")).Where(File.Exists))
            .Order(StringComparer.Ordinal)
            .ToList();
        return files;
    }
}
