using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SovereignTrajectories.Worker.Configuration;
using SovereignTrajectories.Worker.Intake;

namespace SovereignTrajectories.Worker.Feedback;

/// <summary>Watches the feedback drop and applies each file dropped there.</summary>
public sealed class FeedbackSpoolService : BackgroundService
{
    private const int MaxAttempts = 8;

    private readonly FeedbackOptions _options;
    private readonly string _dataDirectory;
    private readonly FeedbackService _feedback;
    private readonly IntakeMonitor _monitor;
    private readonly TimeProvider _time;
    private readonly ILogger<FeedbackSpoolService> _logger;

    public FeedbackSpoolService(
        IOptions<IntakeOptions> options,
        IOptions<SovereignTrajectoriesOptions> worker,
        FeedbackService feedback,
        IntakeMonitor monitor,
        TimeProvider time,
        ILogger<FeedbackSpoolService> logger)
    {
        _options = options.Value.Feedback;
        _dataDirectory = worker.Value.DataDirectory;
        _feedback = feedback;
        _monitor = monitor;
        _time = time;
        _logger = logger;
    }

    /// <summary>The drop's folders.</summary>
    public SpoolDirectory Directory => new(IntakeOptions.Resolve(_dataDirectory, _options.Directory));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            return;
        }

        SpoolDirectory directory = Directory;
        directory.EnsureCreated();
        var scanner = new SpoolScanner("feedback", directory, new FeedbackFileHandler(_feedback), _options.QuietPeriod, MaxAttempts, _time, _monitor, _logger);
        using var watch = new DirectoryWatch([directory.Inbox], "*", includeSubdirectories: false, _options.RescanInterval, _time, _logger);
        await SpoolLoop.RunAsync(scanner, watch, _logger, stoppingToken).ConfigureAwait(false);
    }
}
