using System.Collections.Concurrent;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Filters;

namespace SovereignTrajectories.Audit.Fetching;

/// <summary>
/// Offline mode: events from an archive instead of relays. The path may be a session folder of the
/// worker's archive (<c>events.jsonl</c>, <c>outputs/</c>, <c>statements/</c>), the archive root (one
/// folder per sid), a folder of JSON-lines files (e.g. saved by <c>sovtraj req --json</c>), or one such
/// file. Lines are parsed strictly, in parallel; a bad line is reported with its file and line number
/// and never used. The parser computes each event's id from the bytes it reads; the events a query
/// matches are then verified here (signature, and that id against the claimed one), once each, on every
/// core, and the verdicts travel with the batch (<see cref="EventBatch.Checks"/>) for the verifier to
/// report: a forged event is still returned, never dropped.
/// </summary>
public sealed class ArchiveEventSource : IEventSource
{
    private const int ChunkBytes = 4 * 1024 * 1024;
    private static readonly string[] SkippedFiles = ["REPLAY.jsonl", "redaction-report.jsonl"];

    private readonly string _path;
    private readonly EventVerifier.PublicKeyCache _keys = new();
    private List<NostrEvent>? _events;
    private List<EventId32>? _ids;
    private EventCheck?[]? _checks;
    private List<EventParseFailure>? _failures;
    private List<SourceReport>? _reports;

    public ArchiveEventSource(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
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
        Load(cancellationToken);
        var matched = new List<int>();
        for (int i = 0; i < _events!.Count; i++)
        {
            if (Filter.MatchesAny(filters, _events[i]))
            {
                matched.Add(i);
            }
        }

        // Verified here, once per event and only when asked for: the id was computed from the bytes
        // while parsing, so only the signature is left, on every core.
        EventCheck?[] checks = _checks!;
        List<EventId32> ids = _ids!;
        Parallel.For(0, matched.Count, new ParallelOptions { CancellationToken = cancellationToken }, k =>
        {
            int i = matched[k];
            if (checks[i] is null)
            {
                EventId32 id = ids[i];
                checks[i] = EventVerifier.Verify(_events[i], id, _keys);
            }
        });

        var events = new List<NostrEvent>(matched.Count);
        var verdicts = new List<EventCheck>(matched.Count);
        foreach (int i in matched)
        {
            events.Add(_events[i]);
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
        var events = new List<NostrEvent>();
        ReadFile(file, events, [], failures, new SharedValues(), cancellationToken);
        return events;
    }

    private static void ReadFile(string file, List<NostrEvent> events, List<EventId32> ids, List<EventParseFailure> failures, SharedValues pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(failures);
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
            for (int i = 0; i < filled; i++)
            {
                if (buffer[i] == (byte)'\n')
                {
                    lineNumber++;
                    lines.Add((consumed, i - consumed, lineNumber));
                    consumed = i + 1;
                }
            }

            if (end && consumed < filled)
            {
                lineNumber++;
                lines.Add((consumed, filled - consumed, lineNumber));
                consumed = filled;
            }

            ParseLines(file, buffer, lines, events, ids, failures, pool);
            pool.Ids.Clear();
            Array.Copy(buffer, consumed, buffer, 0, filled - consumed);
            filled -= consumed;
            if (end)
            {
                return;
            }
        }
    }

    private static void ParseLines(string file, byte[] buffer, List<(int Start, int Length, int Line)> lines, List<NostrEvent> events, List<EventId32> ids, List<EventParseFailure> failures, SharedValues pool)
    {
        var parsed = new NostrEvent?[lines.Count];
        var computed = new EventId32[lines.Count];
        var errors = new string?[lines.Count];
        Parallel.For(0, lines.Count, i =>
        {
            (int start, int length, _) = lines[i];
            ReadOnlySpan<byte> span = buffer.AsSpan(start, length).TrimEnd((byte)'\r');
            if (span.Trim(" \t"u8).IsEmpty)
            {
                return;
            }

            if (EventParser.TryParse(span, computed[i], out NostrEvent? e, out EventFormatException? error))
            {
                parsed[i] = Share(e, pool);
            }
            else
            {
                errors[i] = error.Message;
            }
        });
        for (int i = 0; i < parsed.Length; i++)
        {
            if (parsed[i] is { } e)
            {
                events.Add(e);
                ids.Add(computed[i]);
            }
            else if (errors[i] is { } reason)
            {
                failures.Add(new EventParseFailure($"{file}:{lines[i].Line}", reason));
            }
        }
    }

    /// <summary>
    /// One instance for what every step repeats: whole tags that are the same on every step (coordinate,
    /// session, root, action type, model...) and, in the other tags, the name and markers; and one copy of
    /// each event id, which the next step's reply tag repeats. A 100,000-step archive holds each of them
    /// 100,000 times otherwise. Unique values (d, seq, hashes) stay as they are.
    /// </summary>
    private static NostrEvent Share(NostrEvent e, SharedValues pool)
    {
        var tags = new Tag[e.Tags.Count];
        var values = new List<string>(4);
        for (int i = 0; i < tags.Length; i++)
        {
            Tag t = e.Tags[i];
            if (t.Name is "a" or "session" or "action_type" or "tool_invoked" or "p" or "model" or "started_at" or "visibility" or "alt"
                || (t.Name == "e" && t.Count >= 4 && t[3] == "root"))
            {
                // Tags compare by value, so the pooled instance is indistinguishable from this one.
                tags[i] = pool.Tags.GetOrAdd(t, t);
                continue;
            }

            values.Clear();
            bool same = true;
            for (int j = 0; j < t.Count; j++)
            {
                // An e tag's id is usually the id of another event of the archive (the previous step): one copy.
                string v = j != 1 ? pool.Strings.GetOrAdd(t[j], t[j]) : t.Name == "e" ? pool.Ids.GetOrAdd(t[j], t[j]) : t[j];
                same &= ReferenceEquals(v, t[j]);
                values.Add(v);
            }

            // The parser already shares the well-known names and markers: most tags need no new copy.
            tags[i] = same ? t : new Tag(values);
        }

        return e with { Id = pool.Ids.GetOrAdd(e.Id, e.Id), PubKey = pool.Strings.GetOrAdd(e.PubKey, e.PubKey), Tags = new TagList(tags) };
    }

    /// <summary>The instances <see cref="Share"/> hands out, for one load.</summary>
    private sealed class SharedValues
    {
        public ConcurrentDictionary<string, string> Strings { get; } = new(StringComparer.Ordinal);

        public ConcurrentDictionary<Tag, Tag> Tags { get; } = new();

        /// <summary>Ids of the chunk being parsed: a reply names the step just before, nearly always in the same chunk.</summary>
        public ConcurrentDictionary<string, string> Ids { get; } = new(StringComparer.Ordinal);
    }

    private void Load(CancellationToken cancellationToken)
    {
        if (_events is not null)
        {
            return;
        }

        var events = new List<NostrEvent>();
        var ids = new List<EventId32>();
        var failures = new List<EventParseFailure>();
        var reports = new List<SourceReport>();
        var pool = new SharedValues();
        foreach (string file in Files())
        {
            int before = failures.Count;
            int eventsBefore = events.Count;
            try
            {
                ReadFile(file, events, ids, failures, pool, cancellationToken);
            }
            catch (IOException ex)
            {
                throw new AuditDataException($"--offline: cannot read {file}: {ex.Message}", ex);
            }
            catch (UnauthorizedAccessException ex)
            {
                throw new AuditDataException($"--offline: cannot read {file}: {ex.Message}", ex);
            }

            reports.Add(new SourceReport(file, events.Count - eventsBefore + failures.Count - before, failures.Count - before, 0, true, null));
        }

        if (reports.Count == 0)
        {
            throw new AuditDataException($"--offline {_path}: no events.jsonl or *.jsonl file of events found");
        }

        _events = events;
        _ids = ids;
        _checks = new EventCheck?[events.Count];
        _failures = failures;
        _reports = reports;
    }

    private IEnumerable<string> Files()
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
