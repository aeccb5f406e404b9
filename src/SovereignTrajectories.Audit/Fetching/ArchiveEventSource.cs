using System.Collections.Concurrent;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Filters;

namespace SovereignTrajectories.Audit.Fetching;

/// <summary>
/// Offline mode: events from an archive instead of relays. The path may be a session folder of the
/// worker's archive (<c>events.jsonl</c>, <c>outputs/</c>, <c>statements/</c>), the archive root (one
/// folder per sid), a folder of JSON-lines files (e.g. saved by <c>sovtraj req --json</c>), or one such
/// file. Lines are parsed strictly, in parallel; a bad line is reported with its file and line number
/// and never used. Nothing is verified here: the verifier checks every event itself.
/// </summary>
public sealed class ArchiveEventSource : IEventSource
{
    private const int ChunkBytes = 4 * 1024 * 1024;
    private static readonly string[] SkippedFiles = ["REPLAY.jsonl", "redaction-report.jsonl"];

    private readonly string _path;
    private List<NostrEvent>? _events;
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
        var matched = new List<NostrEvent>();
        foreach (NostrEvent e in _events!)
        {
            if (Filter.MatchesAny(filters, e))
            {
                matched.Add(e);
            }
        }

        return Task.FromResult(new EventBatch(matched, _failures!, _reports!));
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
    public static List<NostrEvent> ReadFile(string file, List<EventParseFailure> failures, CancellationToken cancellationToken) =>
        ReadFile(file, failures, new SharedValues(), cancellationToken);

    private static List<NostrEvent> ReadFile(string file, List<EventParseFailure> failures, SharedValues pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(failures);
        var events = new List<NostrEvent>();
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

            ParseLines(file, buffer, lines, events, failures, pool);
            pool.Ids.Clear();
            Array.Copy(buffer, consumed, buffer, 0, filled - consumed);
            filled -= consumed;
            if (end)
            {
                return events;
            }
        }
    }

    private static void ParseLines(string file, byte[] buffer, List<(int Start, int Length, int Line)> lines, List<NostrEvent> events, List<EventParseFailure> failures, SharedValues pool)
    {
        var parsed = new NostrEvent?[lines.Count];
        var errors = new string?[lines.Count];
        Parallel.For(0, lines.Count, i =>
        {
            (int start, int length, _) = lines[i];
            ReadOnlySpan<byte> span = buffer.AsSpan(start, length).TrimEnd((byte)'\r');
            if (span.Trim(" \t"u8).IsEmpty)
            {
                return;
            }

            if (EventParser.TryParse(span, out NostrEvent? e, out EventFormatException? error))
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
            values.Add(pool.Strings.GetOrAdd(t[0], t[0]));
            for (int j = 1; j < t.Count; j++)
            {
                // An e tag's id is usually the id of another event of the archive (the previous step): one copy.
                values.Add(j >= 2 ? pool.Strings.GetOrAdd(t[j], t[j]) : t.Name == "e" && j == 1 ? pool.Ids.GetOrAdd(t[j], t[j]) : t[j]);
            }

            tags[i] = new Tag(values);
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
        var failures = new List<EventParseFailure>();
        var reports = new List<SourceReport>();
        var pool = new SharedValues();
        foreach (string file in Files())
        {
            int before = failures.Count;
            List<NostrEvent> read;
            try
            {
                read = ReadFile(file, failures, pool, cancellationToken);
            }
            catch (IOException ex)
            {
                throw new AuditDataException($"--offline: cannot read {file}: {ex.Message}", ex);
            }
            catch (UnauthorizedAccessException ex)
            {
                throw new AuditDataException($"--offline: cannot read {file}: {ex.Message}", ex);
            }

            events.AddRange(read);
            reports.Add(new SourceReport(file, read.Count + failures.Count - before, failures.Count - before, 0, true, null));
        }

        if (reports.Count == 0)
        {
            throw new AuditDataException($"--offline {_path}: no events.jsonl or *.jsonl file of events found");
        }

        _events = events;
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
