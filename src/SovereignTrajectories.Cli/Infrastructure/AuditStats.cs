using System.Diagnostics;
using System.Globalization;
using SovereignTrajectories.Audit.Verification;

namespace SovereignTrajectories.Cli.Infrastructure;

/// <summary>
/// The <c>--stats</c> line of <c>sovtraj verify</c> and <c>sovtraj audit</c>: how many events the audit
/// read, how long it took (waiting on the relays or the archive, signatures included, then the checks), and
/// what the process spent on it. Someone checking a 100,000-step archive
/// wants to know whether it is the machine or the archive that is slow, and how much memory to give it;
/// the garbage collector's share says whether a memory setting could help.
/// </summary>
internal static class AuditStats
{
    public static string Describe(AuditReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        using Process self = Process.GetCurrentProcess();
        double seconds = report.Elapsed.TotalSeconds;
        double rate = seconds > 0 ? report.EventsFetched / seconds : 0;
        double fetch = report.FetchElapsed.TotalSeconds;

        // CPU time and the peak working set (VmHWM) are the whole process's: start-up included.
        return string.Create(
            CultureInfo.InvariantCulture,
            $"sovtraj: stats: {report.EventsFetched} events in {seconds:0.000} s ({rate:0} events/s; fetching or reading with signatures {fetch:0.000} s, checks {seconds - fetch:0.000} s); process CPU {self.TotalProcessorTime.TotalSeconds:0.00} s on {Environment.ProcessorCount} cores; peak memory {self.PeakWorkingSet64 / (1024.0 * 1024.0):0} MB; GC {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} collections (gen 0/1/2), {GC.GetTotalPauseDuration().TotalMilliseconds:0} ms paused, {GC.GetTotalAllocatedBytes() / (1024.0 * 1024.0):0} MB allocated");
    }
}
