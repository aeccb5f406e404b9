using Microsoft.Extensions.Logging;

namespace SovereignTrajectories.Worker.Intake;

/// <summary>
/// Wakes a loop when something changes in watched directories, and at least every rescan interval
/// anyway: FileSystemWatcher drops events when its buffer overflows or on some file systems, so the
/// periodic rescan is what guarantees progress and the watcher only makes it prompt.
/// </summary>
public sealed partial class DirectoryWatch : IDisposable
{
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly TimeSpan _rescanInterval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public DirectoryWatch(IEnumerable<string> directories, string filter, bool includeSubdirectories, TimeSpan rescanInterval, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(directories);
        _rescanInterval = rescanInterval > TimeSpan.Zero ? rescanInterval : TimeSpan.FromSeconds(1);
        _time = time;
        _logger = logger;
        foreach (string directory in directories)
        {
            Directory.CreateDirectory(directory);
            var watcher = new FileSystemWatcher(directory, filter)
            {
                IncludeSubdirectories = includeSubdirectories,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.DirectoryName,
                InternalBufferSize = 64 * 1024,
            };
            watcher.Created += OnChange;
            watcher.Changed += OnChange;
            watcher.Renamed += OnChange;
            watcher.Error += OnError;
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }
    }

    /// <summary>Wakes the waiting loop now (e.g. on shutdown or after a new file appeared by other means).</summary>
    public void Poke()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one wake covers any number of changes.
        }
        catch (ObjectDisposedException)
        {
            // A watcher event raced with shutdown.
        }
    }

    /// <summary>Completes on the next change (true) or when the rescan interval passes (false), whichever is first.</summary>
    public async Task<bool> WaitAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task signalled = _signal.WaitAsync(linked.Token);
        Task elapsed = Task.Delay(_rescanInterval, _time, linked.Token);
        await Task.WhenAny(signalled, elapsed).ConfigureAwait(false);
        await linked.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(signalled, elapsed).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The loser was cancelled; only the caller's own cancellation matters.
        }

        cancellationToken.ThrowIfCancellationRequested();
        return signalled.IsCompletedSuccessfully;
    }

    public void Dispose()
    {
        foreach (FileSystemWatcher watcher in _watchers)
        {
            watcher.EnableRaisingEvents = false;
            watcher.Dispose();
        }

        _signal.Dispose();
    }

    private void OnChange(object sender, FileSystemEventArgs e) => Poke();

    private void OnError(object sender, ErrorEventArgs e)
    {
        LogWatcherError(e.GetException());
        Poke();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "file watcher lost events; the periodic rescan covers them")]
    private partial void LogWatcherError(Exception exception);
}
