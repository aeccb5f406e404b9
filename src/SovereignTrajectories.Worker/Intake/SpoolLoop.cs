using Microsoft.Extensions.Logging;

namespace SovereignTrajectories.Worker.Intake;

/// <summary>Drives a <see cref="SpoolScanner"/>: a pass on start, then one per wake of its <see cref="DirectoryWatch"/>.</summary>
internal static partial class SpoolLoop
{
    public static async Task RunAsync(SpoolScanner scanner, DirectoryWatch watch, ILogger logger, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await scanner.ScanOnceAsync(stoppingToken).ConfigureAwait(false);
                await watch.WaitAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The directory itself is unusable for now (removed, permissions): keep trying.
                LogScanFailed(logger, scanner.Directory.Inbox, ex);
                await watch.WaitAsync(stoppingToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "cannot list {Inbox}; will retry")]
    private static partial void LogScanFailed(ILogger logger, string inbox, Exception exception);
}
