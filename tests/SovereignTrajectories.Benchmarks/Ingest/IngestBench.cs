using System.Diagnostics;
using System.Globalization;
using SovereignTrajectories.Trajectories.Ingest;
using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Benchmarks.Ingest;

/// <summary>
/// <c>bench ingest [MB]</c>: parses a generated Claude Code log and OTLP/JSON export (default 50 MB
/// each, and a quarter of that to show memory does not grow with the file beyond the trajectories
/// kept) and prints MB/s, peak managed heap while parsing, and what the result retains.
/// </summary>
internal static class IngestBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        int megabytes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50;
        string dir = Path.Combine(Path.GetTempPath(), "sovtraj-bench-ingest-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        try
        {
                Console.WriteLine($"{Environment.ProcessorCount} cores, load average at start: {LoadAverage()}");
            Console.WriteLine();
            Console.WriteLine("| input | size MB | trajectories | steps | wall s | MB/s (wall) | CPU s | MB/s (CPU) | peak heap MB | retained MB | peak - retained MB |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
            foreach (int size in new[] { Math.Max(1, megabytes / 4), megabytes })
            {
                string claude = Path.Combine(dir, $"claude-{size}.jsonl");
                IngestBenchFiles.WriteClaude(claude, size * 1024L * 1024);
                await MeasureAsync("Claude Code JSONL", claude, TrajectoryFormat.Claude).ConfigureAwait(false);
                File.Delete(claude);

                string otlp = Path.Combine(dir, $"otlp-{size}.json");
                IngestBenchFiles.WriteOtlp(otlp, size * 1024L * 1024);
                await MeasureAsync("OTLP/JSON", otlp, TrajectoryFormat.Otlp).ConfigureAwait(false);
                File.Delete(otlp);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        return 0;
    }

    /// <summary>Reads once so the JIT has compiled everything; a separate method so nothing of this run stays referenced.</summary>
    private static async Task WarmUpAsync(TrajectoryIngest ingest, string path, TrajectoryFormat format)
    {
        IngestResult warm = await ingest.ReadFileAsync(path, format).ConfigureAwait(false);
        GC.KeepAlive(warm.Trajectories.Count);
    }

    private static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static async Task MeasureAsync(string label, string path, TrajectoryFormat format)
    {
        var ingest = new TrajectoryIngest();
        double megabytes = new FileInfo(path).Length / (1024.0 * 1024.0);
        await WarmUpAsync(ingest, path, format).ConfigureAwait(false);
        Console.WriteLine(Measure(label, megabytes, () => ingest.ReadFileAsync(path, format).GetAwaiter().GetResult()));
    }

    /// <summary>Synchronous on purpose: the result's lifetime is then exactly the local's, so "retained" is what it holds.</summary>
    private static string Measure(string label, double megabytes, Func<IngestResult> parse)
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        long baseline = GC.GetTotalMemory(forceFullCollection: true);
        using var stop = new CancellationTokenSource();
        long peak = baseline;
        Task sampler = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
            while (!stop.IsCancellationRequested && await timer.WaitForNextTickAsync(CancellationToken.None).ConfigureAwait(false))
            {
                long now = GC.GetTotalMemory(forceFullCollection: false);
                long seen;
                do
                {
                    seen = Interlocked.Read(ref peak);
                }
                while (now > seen && Interlocked.CompareExchange(ref peak, now, seen) != seen);
            }
        });

        TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        IngestResult result = parse();
        clock.Stop();
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        stop.Cancel();
        sampler.GetAwaiter().GetResult();
        long peakSeen = Math.Max(Interlocked.Read(ref peak), GC.GetTotalMemory(forceFullCollection: false));
        long retained = GC.GetTotalMemory(forceFullCollection: true) - baseline;
        int steps = result.Trajectories.Sum(t => t.Steps.Count);
        int count = result.Trajectories.Count;
        GC.KeepAlive(result);
        static double Mb(long bytes) => bytes / (1024.0 * 1024.0);
        return string.Create(CultureInfo.InvariantCulture,
            $"| {label} | {megabytes:0.0} | {count} | {steps} | {clock.Elapsed.TotalSeconds:0.00} | {megabytes / clock.Elapsed.TotalSeconds:0.0} | {cpu:0.00} | {megabytes / cpu:0.0} | {Mb(peakSeen - baseline):0.0} | {Mb(retained):0.0} | {Mb(peakSeen - baseline - retained):0.0} |");
    }
}
