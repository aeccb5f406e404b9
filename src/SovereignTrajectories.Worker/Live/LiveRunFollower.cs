using Microsoft.Extensions.Logging;
using SovereignTrajectories.Trajectories.Ingest;
using SovereignTrajectories.Trajectories.Model;
using SovereignTrajectories.Worker.Intake;

namespace SovereignTrajectories.Worker.Live;

/// <summary>
/// Follows runs while they are written. Each pass re-reads every changed file up to its last
/// complete line: a new run gets its opening version at once; steps that can no longer change are
/// appended as one batch per pass; the final version goes out when the run's end marker is read or
/// the file stayed unchanged for the idle timeout. A step that may still change (a tool call whose
/// result has not arrived; in Claude Code and Codex logs also the last step, which later lines may
/// extend) is held back until it settles. Appends continue from the stored step count, so a
/// restart resumes a run instead of publishing it twice. Not thread-safe: one loop drives it.
/// </summary>
public sealed partial class LiveRunFollower
{
    private readonly TrajectoryCommitter _committer;
    private readonly IntakeMonitor _monitor;
    private readonly LiveOptions _options;
    private readonly IReadOnlyList<string> _directories;
    private readonly TimeProvider _time;
    private readonly ILogger<LiveRunFollower> _logger;
    private readonly TrajectoryIngest _ingest = new();
    private readonly IngestOptions _ingestOptions;
    private readonly Dictionary<string, Followed> _files = new(StringComparer.Ordinal);

    public LiveRunFollower(TrajectoryCommitter committer, IntakeMonitor monitor, LiveOptions options, IReadOnlyList<string> directories, TimeProvider time, ILogger<LiveRunFollower> logger)
    {
        _committer = committer;
        _monitor = monitor;
        _options = options;
        _directories = directories;
        _time = time;
        _logger = logger;
        _ingestOptions = IngestOptions.Default with { TimeProvider = time };
    }

    /// <summary>The directories followed.</summary>
    public IReadOnlyList<string> Directories => _directories;

    /// <summary>One pass over every followed file.</summary>
    public async Task PollOnceAsync(CancellationToken cancellationToken)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (string directory in _directories)
        {
            if (!Directory.Exists(directory))
            {
                continue;
            }

            foreach (string path in Directory.EnumerateFiles(directory, _options.Pattern, SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                cancellationToken.ThrowIfCancellationRequested();
                present.Add(path);
                if (!_files.TryGetValue(path, out Followed? file))
                {
                    file = new Followed(path);
                    _files[path] = file;
                }

                try
                {
                    await PollFileAsync(file, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception ex)
                {
                    // Read it again next pass; what is stored stays stored.
                    file.Stamp = default;
                    file.ReadLength = -1;
                    LogStoreFailed(file.Name, ex);
                }
            }
        }

        foreach (Followed gone in _files.Values.Where(f => !present.Contains(f.Path)).ToList())
        {
            _files.Remove(gone.Path);
            if (gone.Opened && !gone.Ended)
            {
                _monitor.LiveEnded();
                LogVanished(gone.Name, gone.Sid!);
            }
        }
    }

    private async Task PollFileAsync(Followed file, CancellationToken cancellationToken)
    {
        DateTimeOffset now = _time.GetUtcNow();
        var info = new FileInfo(file.Path);
        if (!info.Exists)
        {
            return;
        }

        (long, DateTime) stamp = (info.Length, info.LastWriteTimeUtc);
        if (stamp == file.Stamp)
        {
            if (file.Opened && !file.Ended && file.Last is not null && now - file.LastChangeAt >= _options.IdleTimeout)
            {
                LogIdle(file.Name, file.Sid!, _options.IdleTimeout);
                Trajectory ended = file.Last.Session.IsComplete ? file.Last : LiveEnd.EndAtLastStep(file.Last, file.LastChangeAt);
                await PublishAsync(file, ended, final: true, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        file.Stamp = stamp;
        file.LastChangeAt = now;
        byte[]? complete = await ReadCompleteLinesAsync(file.Path, cancellationToken).ConfigureAwait(false);
        if (complete is null || complete.Length == file.ReadLength)
        {
            return;
        }

        IngestResult result;
        try
        {
            result = await _ingest.ReadAsync(new MemoryStream(complete, writable: false), file.Name, TrajectoryFormat.Auto, _ingestOptions, cancellationToken).ConfigureAwait(false);
        }
        catch (IngestException ex)
        {
            // Often just too early (a header without its session line yet): wait for more lines.
            if (file.Error != ex.Message)
            {
                file.Error = ex.Message;
                LogNotReadable(file.Name, ex.Message);
            }

            return;
        }

        file.Error = null;
        file.ReadLength = complete.Length;
        if (result.Trajectories.Count != 1)
        {
            LogNotOneRun(file.Name, result.Trajectories.Count);
            return;
        }

        file.Format = result.Format;
        Trajectory run = result.Trajectories[0];
        file.Last = run;
        if (result.Format == TrajectoryFormat.Replay)
        {
            await PublishAsync(file, run, final: run.Session.IsComplete, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // These logs have no end marker: "complete" only means no call is waiting right now,
            // and the agent may go on. Only the idle timeout ends them.
            Trajectory open = run with { Session = run.Session with { EndedAt = null } };
            await PublishAsync(file, open, final: false, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PublishAsync(Followed file, Trajectory run, bool final, CancellationToken cancellationToken)
    {
        string sid = run.Session.Sid;
        if (file.Sid is not null && file.Sid != sid)
        {
            LogSidChanged(file.Name, file.Sid, sid);
            return;
        }

        string source = "live:" + file.Name;
        int target = final ? run.Steps.Count : StableCount(run, file.Format);
        if (!file.Opened)
        {
            SinkSession? existing = await _committer.FindAsync(sid, cancellationToken).ConfigureAwait(false);
            if (existing is null)
            {
                Trajectory opening = final ? run : Trajectory.Create(run.Session with { EndedAt = null }, run.Steps.Take(target)) with { Payments = run.Payments, Notes = run.Notes };
                SinkSession stored = await _committer.StoreAsync(opening, source, cancellationToken).ConfigureAwait(false);
                Opened(file, sid, stored);
                LogOpened(file.Name, sid, stored.StepCount, stored.Ended);
                _monitor.LiveStored(stored);
                return;
            }

            Opened(file, sid, existing);
            LogResumed(file.Name, sid, existing.StepCount, existing.Ended);
        }

        if (run.Steps.Count < file.Published)
        {
            LogShrank(file.Name, sid, run.Steps.Count, file.Published);
            return;
        }

        bool ends = final && !file.Ended;
        SinkSession result = await _committer.AppendAsync(
            sid,
            stored =>
            {
                Step[] fresh = run.Steps.Skip(stored.StepCount).Take(Math.Max(0, target - stored.StepCount)).ToArray();
                bool endsNow = ends && !stored.Ended;
                return fresh.Length == 0 && !endsNow ? null : new AppendPlan(fresh, endsNow ? run.Session.EndedAt : null);
            },
            source,
            cancellationToken).ConfigureAwait(false);
        int added = result.StepCount - file.Published;
        file.Published = result.StepCount;
        if (added > 0)
        {
            _monitor.LiveSteps(added);
            LogAppended(file.Name, sid, added, result.StepCount);
        }

        if (result.Ended && !file.Ended)
        {
            file.Ended = true;
            file.Last = null; // only needed for the idle end
            _monitor.LiveEnded();
            LogEnded(file.Name, sid, result.StepCount);
        }

        if (added > 0 || ends)
        {
            _monitor.LiveStored(result);
        }
    }

    private void Opened(Followed file, string sid, SinkSession stored)
    {
        file.Sid = sid;
        file.Opened = true;
        file.Published = stored.StepCount;
        file.Ended = stored.Ended;
        _monitor.LiveStarted();
        _monitor.LiveSteps(stored.StepCount);
        if (stored.Ended)
        {
            _monitor.LiveEnded();
        }
    }

    /// <summary>How many leading steps can no longer change as more lines arrive.</summary>
    internal static int StableCount(Trajectory run, TrajectoryFormat format)
    {
        int open = 0;
        while (open < run.Steps.Count && run.Steps[open] is not ToolStartStep)
        {
            open++;
        }

        // REPLAY lines are whole steps; the other logs may merge later lines into the last step.
        int limit = format == TrajectoryFormat.Replay ? run.Steps.Count : run.Steps.Count - 1;
        return Math.Max(0, Math.Min(open, limit));
    }

    private static async Task<byte[]?> ReadCompleteLinesAsync(string path, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                using var copy = new MemoryStream();
                await stream.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
                bytes = copy.ToArray();
            }
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        int end = Array.LastIndexOf(bytes, (byte)'\n');
        return end < 0 ? null : bytes.AsSpan(0, end + 1).ToArray();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "live: {File} opened session {Sid} with {Steps} steps (ended: {Ended})")]
    private partial void LogOpened(string file, string sid, int steps, bool ended);

    [LoggerMessage(Level = LogLevel.Information, Message = "live: {File} resumes session {Sid} after its {Steps} stored steps (ended: {Ended})")]
    private partial void LogResumed(string file, string sid, int steps, bool ended);

    [LoggerMessage(Level = LogLevel.Debug, Message = "live: {File} session {Sid}: {Added} steps appended ({Total} stored)")]
    private partial void LogAppended(string file, string sid, int added, int total);

    [LoggerMessage(Level = LogLevel.Information, Message = "live: {File} session {Sid} ended with {Steps} steps")]
    private partial void LogEnded(string file, string sid, int steps);

    [LoggerMessage(Level = LogLevel.Information, Message = "live: {File} session {Sid} unchanged for {Timeout}: ending it")]
    private partial void LogIdle(string file, string sid, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Information, Message = "live: {File} not readable yet: {Reason}")]
    private partial void LogNotReadable(string file, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "live: {File} holds {Count} runs; only single-run files are followed")]
    private partial void LogNotOneRun(string file, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "live: {File} now names session {NewSid}, not {Sid}; ignored")]
    private partial void LogSidChanged(string file, string sid, string newSid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "live: {File} session {Sid} now has {Steps} steps but {Published} are stored; the file was rewritten, ignored")]
    private partial void LogShrank(string file, string sid, int steps, int published);

    [LoggerMessage(Level = LogLevel.Warning, Message = "live: {File} removed before its session {Sid} ended")]
    private partial void LogVanished(string file, string sid);

    [LoggerMessage(Level = LogLevel.Error, Message = "live: {File} could not be stored; will retry")]
    private partial void LogStoreFailed(string file, Exception exception);

    private sealed class Followed(string path)
    {
        public string Path { get; } = path;

        public string Name { get; } = System.IO.Path.GetFileName(path);

        public (long, DateTime) Stamp { get; set; }

        public DateTimeOffset LastChangeAt { get; set; }

        public long ReadLength { get; set; } = -1;

        public TrajectoryFormat Format { get; set; }

        public string? Sid { get; set; }

        public bool Opened { get; set; }

        public bool Ended { get; set; }

        public int Published { get; set; }

        public Trajectory? Last { get; set; }

        public string? Error { get; set; }
    }
}
