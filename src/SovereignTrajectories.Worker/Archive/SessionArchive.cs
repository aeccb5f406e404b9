using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Trajectories.Mapping;
using SovereignTrajectories.Trajectories.Model;
using SovereignTrajectories.Trajectories.Redaction;
using SovereignTrajectories.Trajectories.Replay;
using SovereignTrajectories.Worker.Configuration;

namespace SovereignTrajectories.Worker.Archive;

/// <summary>
/// The evidence an auditor can be handed, one folder per session:
/// <c>events.jsonl</c> (every signed event, every session version included, in commit order),
/// <c>outputs/&lt;seq&gt;.txt</c> (full redacted tool outputs that events carry only as a preview),
/// <c>statements/&lt;seq&gt;.intoto.json</c> (the exact in-toto statement bytes its step hashes),
/// <c>redaction-report.jsonl</c> (one report per commit: where secrets were removed, never the secrets)
/// and <c>REPLAY.jsonl</c> (the run as published). Files are replaced atomically.
/// </summary>
public sealed class SessionArchive
{
    private static readonly UTF8Encoding Utf8 = new(false);

    private readonly string? _root;
    private readonly TimeProvider _time;

    public SessionArchive(IOptions<SovereignTrajectoriesOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _root = options.Value.Archive.Enabled ? options.Value.ResolveArchiveDirectory() : null;
        _time = time;
    }

    /// <summary>The archive root, or null when archiving is off.</summary>
    public string? Root => _root;

    /// <summary>The folder of one session (a sid of only dots gets a prefix so it stays inside the root).</summary>
    public string? DirectoryOf(string sid)
    {
        ArgumentNullException.ThrowIfNull(sid);
        if (_root is null)
        {
            return null;
        }

        string name = sid.Trim('.').Length == 0 ? "_" + sid : sid;
        return Path.Combine(_root, name);
    }

    /// <summary>
    /// Whether the folder holds the session's <paramref name="eventCount"/> events; false after a crash
    /// between the outbox commit and the archive write, so the next commit of the same run repairs it.
    /// </summary>
    public bool Holds(string sid, int eventCount)
    {
        string? dir = DirectoryOf(sid);
        if (dir is null)
        {
            return true;
        }

        string events = Path.Combine(dir, "events.jsonl");
        return File.Exists(events) && File.ReadLines(events).Count() == eventCount && File.Exists(Path.Combine(dir, "REPLAY.jsonl"));
    }

    /// <summary>Writes (or refreshes) the session's folder after a commit.</summary>
    public async Task WriteAsync(
        PublishedState state,
        IReadOnlyList<NostrEvent> allEvents,
        IReadOnlyDictionary<int, string> fullOutputs,
        RedactionReport report,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(allEvents);
        ArgumentNullException.ThrowIfNull(fullOutputs);
        ArgumentNullException.ThrowIfNull(report);
        string? dir = DirectoryOf(state.Sid);
        if (dir is null)
        {
            return;
        }

        Directory.CreateDirectory(dir);
        var events = new StringBuilder();
        foreach (NostrEvent e in allEvents)
        {
            events.Append(CanonicalJson.Serialize(e)).Append('\n');
        }

        await ReplaceAsync(Path.Combine(dir, "events.jsonl"), Utf8.GetBytes(events.ToString()), cancellationToken).ConfigureAwait(false);
        foreach ((int seq, string output) in fullOutputs)
        {
            string outputs = Directory.CreateDirectory(Path.Combine(dir, "outputs")).FullName;
            await ReplaceAsync(Path.Combine(outputs, Seq(seq) + ".txt"), Utf8.GetBytes(output), cancellationToken).ConfigureAwait(false);
        }

        foreach (VerificationStep v in state.Trajectory.Verifications)
        {
            if (v.Statement is { } statement)
            {
                string statements = Directory.CreateDirectory(Path.Combine(dir, "statements")).FullName;
                string path = Path.Combine(statements, Seq(v.Seq) + ".intoto.json");
                if (!File.Exists(path))
                {
                    await ReplaceAsync(path, statement.StatementBytes.ToArray(), cancellationToken).ConfigureAwait(false);
                }
            }
        }

        string line = "{\"at\":\"" + _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            + "\",\"steps\":" + state.StepCount.ToString(CultureInfo.InvariantCulture) + ",\"report\":" + report.ToJson() + "}\n";
        await File.AppendAllTextAsync(Path.Combine(dir, "redaction-report.jsonl"), line, Utf8, cancellationToken).ConfigureAwait(false);
        await ReplaceAsync(Path.Combine(dir, "REPLAY.jsonl"), Utf8.GetBytes(ReplayWriter.ToJsonl(state.Trajectory)), cancellationToken).ConfigureAwait(false);
    }

    private static string Seq(int seq) => seq.ToString("D6", CultureInfo.InvariantCulture);

    private static async Task ReplaceAsync(string path, byte[] bytes, CancellationToken cancellationToken)
    {
        string temp = path + ".tmp";
        await File.WriteAllBytesAsync(temp, bytes, cancellationToken).ConfigureAwait(false);
        File.Move(temp, path, overwrite: true);
    }
}
