using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SovereignTrajectories.Benchmarks.Pool;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Testing;
using SovereignTrajectories.Trajectories.Ingest;
using SovereignTrajectories.Trajectories.Model;
using SovereignTrajectories.Trajectories.Replay;
using SovereignTrajectories.Worker.Delivery;
using SovereignTrajectories.Worker.Hosting;
using SovereignTrajectories.Worker.Pipeline;

namespace SovereignTrajectories.Benchmarks.Worker;

/// <summary>
/// <c>bench worker [--runs N] [--steps S] [--relays K] [--target ack|local]</c>: the publishing
/// worker end to end, from run files on disk to quorum (ingest, redaction, signing, outbox commit
/// in one transaction per run, delivery): runs x steps per second, time from a file's commit start
/// to its session reaching the quorum (median, p95), and the process working set idle and under
/// load. <c>ack</c> uses the ACK-only relay double (the worker's own ceiling); <c>local</c> real relays.
/// </summary>
internal static class WorkerBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        int runs = 200;
        int steps = 20;
        int relayCount = 1;
        string target = "ack";
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--target" && i + 1 < args.Length && args[i + 1] is "ack" or "local")
            {
                target = args[++i];
            }
            else if (i + 1 < args.Length && args[i] is "--runs" or "--steps" or "--relays"
                && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out int n) && n > 0)
            {
                switch (args[i])
                {
                    case "--runs": runs = n; break;
                    case "--steps": steps = n; break;
                    default: relayCount = n; break;
                }

                i++;
            }
            else
            {
                Console.Error.WriteLine($"worker: unknown or malformed argument '{args[i]}'; usage: worker [--runs N] [--steps S] [--relays K] [--target ack|local]");
                return 2;
            }
        }

        string dir = Directory.CreateTempSubdirectory("sovtraj-bench-worker-").FullName;
        var acks = new List<AckOnlyRelay>();
        var locals = new List<LocalRelay>();
        try
        {
            var urls = new List<Uri>();
            for (int r = 0; r < relayCount; r++)
            {
                if (target == "ack")
                {
                    AckOnlyRelay ack = await AckOnlyRelay.StartAsync().ConfigureAwait(false);
                    acks.Add(ack);
                    urls.Add(ack.Url);
                }
                else
                {
                    LocalRelay local = await LocalRelay.StartAsync().ConfigureAwait(false);
                    locals.Add(local);
                    urls.Add(local.Url);
                }
            }

            using (SecretKey key = SecretKey.Generate())
            {
                SecretKey.WriteNewKeyFile(Path.Combine(dir, "agent.key"), key);
            }

            string[] files = WriteRuns(dir, runs, steps);
            var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["SovereignTrajectories:DataDirectory"] = dir,
                ["SovereignTrajectories:Key:File"] = Path.Combine(dir, "agent.key"),
                ["SovereignTrajectories:Quorum"] = relayCount.ToString(CultureInfo.InvariantCulture),
                ["SovereignTrajectories:Archive:Enabled"] = "false",
                ["SovereignTrajectories:Delivery:MaxInFlightPerRelay"] = "256",
            };
            for (int r = 0; r < urls.Count; r++)
            {
                settings[$"SovereignTrajectories:Relays:{r}"] = urls[r].ToString();
            }

            using IHost host = WorkerHost.CreateBuilder(null, includeIntake: false, settings, LogLevel.Warning).Build();
            await host.StartAsync().ConfigureAwait(false);
            TrajectoryPublisher publisher = host.Services.GetRequiredService<TrajectoryPublisher>();
            PublishNotifications notifications = host.Services.GetRequiredService<PublishNotifications>();
            GC.Collect();
            long idle = Process.GetCurrentProcess().WorkingSet64;

            var published = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
            notifications.SessionPublished += c => published.TryAdd(c, Stopwatch.GetTimestamp());
            var started = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
            long peak = idle;
            Stopwatch total = Stopwatch.StartNew();

            // As intake does: several files at once, so conversion on both cores overlaps the outbox's fsyncs.
            await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (file, ct) =>
            {
                long t0 = Stopwatch.GetTimestamp();
                foreach (CommitResult c in await publisher.CommitFileAsync(file, TrajectoryFormat.Replay, ct).ConfigureAwait(false))
                {
                    started[c.Coordinate] = t0;
                }

                Interlocked.Exchange(ref peak, Math.Max(Interlocked.Read(ref peak), Environment.WorkingSet));
            }).ConfigureAwait(false);

            TimeSpan committed = total.Elapsed;
            foreach (string coordinate in started.Keys)
            {
                await notifications.WhenSessionPublishedAsync(coordinate, CancellationToken.None).ConfigureAwait(false);
            }

            TimeSpan elapsed = total.Elapsed;
            peak = Math.Max(peak, Environment.WorkingSet);
            await host.StopAsync().ConfigureAwait(false);

            double[] latencies = started
                .Select(kv => Stopwatch.GetElapsedTime(kv.Value, published.TryGetValue(kv.Key, out long end) ? end : Stopwatch.GetTimestamp()).TotalMilliseconds)
                .Order()
                .ToArray();
            long totalSteps = (long)runs * steps;
            Console.WriteLine($"| target | relays | runs x steps | commit s | to quorum s | steps/s | latency median ms | latency p95 ms | working set idle MB | peak MB |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {target} | {relayCount} | {runs} x {steps} | {committed.TotalSeconds:0.00} | {elapsed.TotalSeconds:0.00} | {totalSteps / elapsed.TotalSeconds:0} | {Percentile(latencies, 0.5):0} | {Percentile(latencies, 0.95):0} | {idle / 1048576.0:0} | {peak / 1048576.0:0} |"));
            return 0;
        }
        finally
        {
            foreach (AckOnlyRelay a in acks)
            {
                await a.DisposeAsync().ConfigureAwait(false);
            }

            foreach (LocalRelay l in locals)
            {
                await l.DisposeAsync().ConfigureAwait(false);
            }

            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static string[] WriteRuns(string dir, int runs, int steps)
    {
        string inbox = Directory.CreateDirectory(Path.Combine(dir, "inbox")).FullName;
        var files = new string[runs];
        DateTimeOffset start = DateTimeOffset.UtcNow.AddDays(-1);
        for (int r = 0; r < runs; r++)
        {
            DateTimeOffset t = start.AddMinutes(r);
            var list = new List<Step> { new UserStep($"Task {r}: fix the failing test") { Timestamp = t } };
            for (int s = 1; list.Count < steps; s++)
            {
                DateTimeOffset at = t.AddSeconds(s);
                list.Add(s % 2 == 0
                    ? new ToolStep("Bash", $"c{s}", $"{{\"command\":\"grep -n foo src/file{s}.cs\"}}", $"src/file{s}.cs:{s}: foo();\n", true) { Timestamp = at, LatencyMs = 40 }
                    : new AgentStep($"Step {s}: reading the code") { Timestamp = at, Model = "bench-model", Usage = new Usage(1200, 80, 400, 0.002m) });
            }

            Trajectory run = Trajectory.Create(new SessionInfo($"bench-{r:D5}", t) { Model = "bench-model", EndedAt = t.AddSeconds(steps + 1) }, list);
            files[r] = Path.Combine(inbox, $"run-{r:D5}.REPLAY.jsonl");
            File.WriteAllText(files[r], ReplayWriter.ToJsonl(run));
        }

        return files;
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
