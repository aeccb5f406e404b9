using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SovereignTrajectories.Trajectories.Ingest;
using SovereignTrajectories.Worker.Configuration;

namespace SovereignTrajectories.Worker.Intake;

/// <summary>Watches the spool inbox and stores each finished run file dropped there.</summary>
public sealed class RunSpoolService : BackgroundService
{
    private readonly IntakeOptions _options;
    private readonly string _dataDirectory;
    private readonly TrajectoryCommitter _committer;
    private readonly IntakeMonitor _monitor;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;

    public RunSpoolService(
        IOptions<IntakeOptions> options,
        IOptions<SovereignTrajectoriesOptions> worker,
        TrajectoryCommitter committer,
        IntakeMonitor monitor,
        TimeProvider time,
        ILoggerFactory loggerFactory)
    {
        _options = options.Value;
        _dataDirectory = worker.Value.DataDirectory;
        _committer = committer;
        _monitor = monitor;
        _time = time;
        _loggerFactory = loggerFactory;
    }

    /// <summary>The spool's folders.</summary>
    public SpoolDirectory Directory => new(IntakeOptions.Resolve(_dataDirectory, _options.Spool.Directory));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Spool.Enabled)
        {
            return;
        }

        SpoolDirectory directory = Directory;
        directory.EnsureCreated();
        var ingestOptions = IngestOptions.Default with { TimeProvider = _time };
        var handler = new RunFileHandler(new TrajectoryIngest(), _committer, _options.Spool.Format, ingestOptions, _loggerFactory.CreateLogger<RunFileHandler>());
        ILogger logger = _loggerFactory.CreateLogger<RunSpoolService>();
        var scanner = new SpoolScanner("spool", directory, handler, _options.Spool.QuietPeriod, _options.Spool.MaxAttempts, _time, _monitor, logger, _options.Spool.MaxConcurrentFiles);
        using var watch = new DirectoryWatch([directory.Inbox], "*", includeSubdirectories: false, _options.Spool.RescanInterval, _time, logger);
        await SpoolLoop.RunAsync(scanner, watch, logger, stoppingToken).ConfigureAwait(false);
    }
}
