using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SovereignTrajectories.Worker.Configuration;
using SovereignTrajectories.Worker.Intake;

namespace SovereignTrajectories.Worker.Live;

/// <summary>Drives the <see cref="LiveRunFollower"/>: a pass per change (after the batch delay) and per rescan interval.</summary>
public sealed partial class LiveRunService : BackgroundService
{
    private readonly LiveOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<LiveRunService> _logger;
    private readonly LiveRunFollower _follower;

    public LiveRunService(
        IOptions<IntakeOptions> options,
        IOptions<SovereignTrajectoriesOptions> worker,
        TrajectoryCommitter committer,
        IntakeMonitor monitor,
        TimeProvider time,
        ILoggerFactory loggerFactory)
    {
        _options = options.Value.Live;
        _time = time;
        _logger = loggerFactory.CreateLogger<LiveRunService>();
        string dataDirectory = worker.Value.DataDirectory;
        string[] directories = _options.EffectiveDirectories.Select(d => IntakeOptions.Resolve(dataDirectory, d)).Distinct(StringComparer.Ordinal).ToArray();
        _follower = new LiveRunFollower(committer, monitor, _options, directories, time, loggerFactory.CreateLogger<LiveRunFollower>());
    }

    /// <summary>The directories followed.</summary>
    public IReadOnlyList<string> Directories => _follower.Directories;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled || _follower.Directories.Count == 0)
        {
            return;
        }

        using var watch = new DirectoryWatch(_follower.Directories, _options.Pattern, includeSubdirectories: true, _options.RescanInterval, _time, _logger);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _follower.PollOnceAsync(stoppingToken).ConfigureAwait(false);
                bool changed = await watch.WaitAsync(stoppingToken).ConfigureAwait(false);
                if (changed && _options.BatchDelay > TimeSpan.Zero)
                {
                    // Lines written close together go out as one append.
                    await Task.Delay(_options.BatchDelay, _time, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogPassFailed(ex);
                await watch.WaitAsync(stoppingToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "live: cannot list the followed directories; will retry")]
    private partial void LogPassFailed(Exception exception);
}
