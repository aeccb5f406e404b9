using Microsoft.Extensions.Logging;

namespace SovereignTrajectories.Worker.Intake;

/// <summary>
/// One pass over a drop directory's inbox: takes every complete file (never a <c>*.part</c>; others
/// once unchanged for the quiet period), hands it to the handler and moves it to archive/ or
/// failed/. One file's failure never stops the others. Not thread-safe: one loop drives it.
/// </summary>
public sealed partial class SpoolScanner
{
    private const string PartSuffix = ".part";

    private readonly SpoolDirectory _directory;
    private readonly ISpoolFileHandler _handler;
    private readonly string _spoolName;
    private readonly TimeSpan _quietPeriod;
    private readonly int _maxAttempts;
    private readonly TimeProvider _time;
    private readonly IntakeMonitor _monitor;
    private readonly ILogger _logger;
    private readonly int _maxConcurrentFiles;
    private readonly Dictionary<string, Seen> _seen = new(StringComparer.Ordinal);

    public SpoolScanner(
        string spoolName,
        SpoolDirectory directory,
        ISpoolFileHandler handler,
        TimeSpan quietPeriod,
        int maxAttempts,
        TimeProvider time,
        IntakeMonitor monitor,
        ILogger logger,
        int maxConcurrentFiles = 1)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(handler);
        _spoolName = spoolName;
        _directory = directory;
        _handler = handler;
        _quietPeriod = quietPeriod;
        _maxAttempts = Math.Max(1, maxAttempts);
        _time = time;
        _monitor = monitor;
        _logger = logger;
        _maxConcurrentFiles = Math.Max(1, maxConcurrentFiles);
    }

    public SpoolDirectory Directory => _directory;

    /// <summary>Takes every file that is complete now; returns how many settled (archived or failed).</summary>
    public async Task<int> ScanOnceAsync(CancellationToken cancellationToken)
    {
        _directory.EnsureCreated();
        DateTimeOffset now = _time.GetUtcNow();
        var present = new HashSet<string>(StringComparer.Ordinal);
        int settled = 0;
        string[] files = System.IO.Directory.GetFiles(_directory.Inbox);
        var due = new List<string>();
        Array.Sort(files, StringComparer.Ordinal);
        foreach (string path in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string name = Path.GetFileName(path);
            if (name.EndsWith(PartSuffix, StringComparison.Ordinal) || name.StartsWith('.'))
            {
                continue;
            }

            present.Add(path);
            if (!IsComplete(path, now) || _seen[path].NextAttemptAt > now)
            {
                continue;
            }

            due.Add(path);
        }

        if (_maxConcurrentFiles <= 1 || due.Count <= 1)
        {
            foreach (string path in due)
            {
                if (await TakeAsync(path, cancellationToken).ConfigureAwait(false))
                {
                    settled++;
                }
            }
        }
        else
        {
            // Files are independent (sessions are locked per sid downstream), and taking several at
            // once lets conversion use every core while the outbox groups their commits into one fsync.
            await Parallel.ForEachAsync(
                due,
                new ParallelOptions { MaxDegreeOfParallelism = _maxConcurrentFiles, CancellationToken = cancellationToken },
                async (path, ct) =>
                {
                    if (await TakeAsync(path, ct).ConfigureAwait(false))
                    {
                        Interlocked.Increment(ref settled);
                    }
                }).ConfigureAwait(false);
        }

        foreach (string gone in _seen.Keys.Where(k => !present.Contains(k)).ToList())
        {
            _seen.Remove(gone);
        }

        return settled;
    }

    private bool IsComplete(string path, DateTimeOffset now)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return false;
        }

        (long, DateTime) stamp = (info.Length, info.LastWriteTimeUtc);
        if (!_seen.TryGetValue(path, out Seen? seen) || seen.Stamp != stamp)
        {
            _seen[path] = seen = new Seen(stamp, now, seen?.Attempts ?? 0) { NextAttemptAt = seen?.NextAttemptAt ?? default };
        }

        return _quietPeriod <= TimeSpan.Zero || now - seen.Since >= _quietPeriod;
    }

    private async Task<bool> TakeAsync(string path, CancellationToken cancellationToken)
    {
        string name = Path.GetFileName(path);
        try
        {
            await _handler.HandleAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (SpoolErrors.IsContentError(ex))
        {
            Fail(path, name, ex.Message);
            return true;
        }
        catch (Exception ex)
        {
            Seen seen;
            lock (_seen)
            {
                seen = _seen[path];
            }

            seen.Attempts++;
            if (seen.Attempts < _maxAttempts)
            {
                // Back off (1 s, 2 s, 4 s, ... up to 5 min) so a short outbox outage does not fail the file.
                TimeSpan wait = TimeSpan.FromSeconds(Math.Min(300, Math.Pow(2, seen.Attempts - 1)));
                seen.NextAttemptAt = _time.GetUtcNow() + wait;
                LogRetry(_spoolName, name, seen.Attempts, _maxAttempts, wait, ex);
                return false;
            }

            Fail(path, name, $"gave up after {seen.Attempts} attempts: {ex.Message}");
            return true;
        }

        string moved;
        try
        {
            moved = _directory.MoveToArchive(path);
        }
        catch (IOException ex)
        {
            // The content is stored; the next pass finds the session already committed and retries the move.
            LogMoveFailed(_spoolName, name, ex);
            return false;
        }

        lock (_seen)
        {
            _seen.Remove(path);
        }

        LogArchived(_spoolName, name);
        _monitor.Settled(new SpoolOutcome(_spoolName, name, true, moved, null));
        return true;
    }

    private void Fail(string path, string name, string reason)
    {
        string moved;
        try
        {
            moved = _directory.MoveToFailed(path, reason, _time.GetUtcNow());
        }
        catch (IOException ex)
        {
            LogMoveFailed(_spoolName, name, ex);
            return;
        }

        lock (_seen)
        {
            _seen.Remove(path);
        }

        LogFailed(_spoolName, name, reason);
        _monitor.Settled(new SpoolOutcome(_spoolName, name, false, moved, reason));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Spool}: {File} stored and archived")]
    private partial void LogArchived(string spool, string file);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Spool}: {File} moved to failed/: {Reason}")]
    private partial void LogFailed(string spool, string file, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Spool}: {File} could not be stored (attempt {Attempt} of {Max}); retrying in {Wait}")]
    private partial void LogRetry(string spool, string file, int attempt, int max, TimeSpan wait, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Spool}: {File} could not be moved out of the inbox; will retry")]
    private partial void LogMoveFailed(string spool, string file, Exception exception);

    private sealed class Seen((long, DateTime) stamp, DateTimeOffset since, int attempts)
    {
        public (long, DateTime) Stamp { get; } = stamp;

        public DateTimeOffset Since { get; } = since;

        public int Attempts { get; set; } = attempts;

        public DateTimeOffset NextAttemptAt { get; set; }
    }
}
