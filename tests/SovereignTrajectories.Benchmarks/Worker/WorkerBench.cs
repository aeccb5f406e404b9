using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SovereignTrajectories.Benchmarks.Pool;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Testing;
using SovereignTrajectories.Trajectories.Model;
using SovereignTrajectories.Trajectories.Replay;
using SovereignTrajectories.Worker.Delivery;
using SovereignTrajectories.Worker.Hosting;
using SovereignTrajectories.Worker.Outbox;
using SovereignTrajectories.Worker.Pipeline;

namespace SovereignTrajectories.Benchmarks.Worker;

/// <summary>
/// <c>bench worker [--runs N] [--steps S] [--seconds T] [--skip-local] [--relays-only] [--relays 1|3] [--window W]</c>: the publishing worker
/// end to end through its real spool (files renamed into <c>inbox/</c>, taken, converted, redacted,
/// signed, committed, archived, delivered), in one run:
/// (0) where a run's time goes, stage by stage;
/// (1) its own ceiling with the ACK-only relay double: sustained steps/s for T seconds, per
///     10-second window, with the working set per window (flat or not), idle and under load;
/// (2) inbox-to-quorum latency of single 20-step runs into an idle worker (median, p95);
/// (3) N runs x S steps to one and to three fresh local relays, against those relays' own ceiling
///     measured by a pipelined nostr-tools client publishing the same events to fresh relays.
/// <c>--relays-only</c> runs (3) alone (about a minute, for iterating on delivery), <c>--relays N</c>
/// only its row for N relays; <c>--window W</c>
/// overrides the worker's in-flight window per relay (Delivery:MaxInFlightPerRelay) in every part.
/// </summary>
internal static class WorkerBench
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(string[] args)
    {
        int runs = 200;
        int steps = 20;
        int seconds = 60;
        bool local = true;
        bool relaysOnly = false;
        int? window = null;
        int[] relayRows = [1, 3];
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--skip-local")
            {
                local = false;
            }
            else if (args[i] == "--relays-only")
            {
                relaysOnly = true;
            }
            else if (i + 1 < args.Length && args[i] == "--relays" && args[i + 1] is "1" or "3")
            {
                relayRows = [args[i + 1] == "1" ? 1 : 3];
                i++;
            }
            else if (i + 1 < args.Length && args[i] is "--runs" or "--steps" or "--seconds" or "--window"
                && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out int n) && n > 0)
            {
                switch (args[i])
                {
                    case "--runs": runs = n; break;
                    case "--steps": steps = n; break;
                    case "--window": window = n; break;
                    default: seconds = n; break;
                }

                i++;
            }
            else
            {
                Console.Error.WriteLine($"worker: unknown or malformed argument '{args[i]}'; usage: worker [--runs N] [--steps S] [--seconds T] [--skip-local] [--relays-only] [--relays 1|3] [--window W]");
                return 2;
            }
        }

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"### bench worker ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, Release)");
        report.AppendLine();
        string root = Directory.CreateTempSubdirectory("sovtraj-bench-worker-").FullName;
        bool ok = true;
        try
        {
            var template = new RunTemplate(steps);
            if (relaysOnly && !local)
            {
                Console.Error.WriteLine("worker: --relays-only and --skip-local leave nothing to run");
                return 2;
            }

            if (!relaysOnly)
            {
                Console.Error.WriteLine("worker: (0) stage costs...");
                string stageDir = Directory.CreateDirectory(Path.Combine(root, "stages")).FullName;
                string[] stageFiles = Enumerable.Range(0, runs).Select(r => template.WriteTo(stageDir, $"stage-{r:D5}")).ToArray();
                report.AppendLine(await WorkerStageBreakdown.MeasureAsync(stageFiles, steps, stageDir, CancellationToken.None).ConfigureAwait(false));

                Console.Error.WriteLine($"worker: (1) sustained for {seconds} s into the ACK-only relay...");
                (string sustained, double rate, double[] latencies) = await SustainedAsync(root, template, TimeSpan.FromSeconds(seconds), window).ConfigureAwait(false);
                report.AppendLine(sustained);
                ok &= rate >= 2000;

                report.AppendLine(CultureInfo.InvariantCulture, $"Inbox to quorum of one {steps}-step run dropped into an idle worker (ACK-only relay), {latencies.Length} runs one after another: median {Percentile(latencies, 0.5):0} ms, p95 {Percentile(latencies, 0.95):0} ms.");
                report.AppendLine();
            }

            if (local)
            {
                report.AppendLine(CultureInfo.InvariantCulture, $"{runs} runs x {steps} steps dropped at once into the spool, to fresh local relays (quorum = all), against the same relays' ceiling: the same signed events published by nostr-tools (tests/peers/bench-pool.mjs, all in flight) to fresh relays, one client per relay at once.");
                report.AppendLine();
                report.AppendLine("| relays | worker: inbox to quorum s | worker events/s | worker steps/s | relay ceiling events/s (nostr-tools) | ratio | target | CPU s during it: worker / relays | relays' CPU s under nostr-tools |");
                report.AppendLine("|---|---|---|---|---|---|---|---|---|");
                foreach (int relays in relayRows)
                {
                    Console.Error.WriteLine($"worker: (3) {runs} x {steps} to {relays} local relay(s)...");
                    (string row, double ratio) = await LocalRelaysAsync(root, template, runs, relays, window).ConfigureAwait(false);
                    report.AppendLine(row);
                    ok &= ratio >= 0.9;
                }

                report.AppendLine();
            }

            Console.WriteLine(report.ToString());
            return ok ? 0 : 1;
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<(string Report, double StepsPerSecond, double[] Latencies)> SustainedAsync(string root, RunTemplate template, TimeSpan duration, int? window)
    {
        await using AckOnlyRelay ack = await AckOnlyRelay.StartAsync().ConfigureAwait(false);
        string dir = NewDataDirectory(root, "sustained");
        using IHost host = BuildHost(dir, [ack.Url], window);
        PublishNotifications notifications = host.Services.GetRequiredService<PublishNotifications>();
        TrajectoryPublisher publisher = host.Services.GetRequiredService<TrajectoryPublisher>();
        await host.StartAsync().ConfigureAwait(false);
        string inbox = Path.Combine(dir, "spool", "inbox");
        Directory.CreateDirectory(inbox);

        // Warm-up run (JIT, connection), then the idle footprint.
        await DropAndWaitAsync(inbox, template, "warmup", publisher, notifications).ConfigureAwait(false);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long idleWs = Environment.WorkingSet;
        long idleHeap = GC.GetTotalMemory(false);

        long publishedSessions = 0;
        using var refill = new SemaphoreSlim(0);
        void OnPublished(string c)
        {
            Interlocked.Increment(ref publishedSessions);
            refill.Release();
        }

        notifications.SessionPublished += OnPublished;
        const int InFlight = 96;
        int next = 0;
        var windows = new List<(double Seconds, long Sessions, long WorkingSet, long Heap)>();
        Stopwatch clock = Stopwatch.StartNew();
        for (int i = 0; i < InFlight; i++)
        {
            template.WriteTo(inbox, $"s-{next++:D7}");
        }

        long windowStartSessions = 0;
        TimeSpan windowStart = TimeSpan.Zero;
        long peakWs = idleWs;
        while (clock.Elapsed < duration)
        {
            // Keep the inbox topped up: one new file per published session.
            if (await refill.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false))
            {
                template.WriteTo(inbox, $"s-{next++:D7}");
            }

            if (clock.Elapsed - windowStart >= Window)
            {
                long now = Interlocked.Read(ref publishedSessions);
                long ws = Environment.WorkingSet;
                peakWs = Math.Max(peakWs, ws);
                windows.Add(((clock.Elapsed - windowStart).TotalSeconds, now - windowStartSessions, ws, GC.GetTotalMemory(false)));
                windowStart = clock.Elapsed;
                windowStartSessions = now;
            }
        }

        TimeSpan measured = clock.Elapsed;
        long sessionsInPeriod = Interlocked.Read(ref publishedSessions);
        notifications.SessionPublished -= OnPublished;
        await notifications.WhenDrainedAsync(CancellationToken.None).ConfigureAwait(false);

        // (2) latency, into the now idle worker.
        var latencies = new List<double>();
        for (int i = 0; i < 30; i++)
        {
            latencies.Add(await DropAndWaitAsync(inbox, template, $"lat-{i:D3}", publisher, notifications).ConfigureAwait(false));
        }

        await host.StopAsync().ConfigureAwait(false);
        double stepsPerSecond = sessionsInPeriod * template.Steps / measured.TotalSeconds;
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Worker ceiling, ACK-only relay double, spool intake ({InFlight} files kept in inbox/, MaxConcurrentFiles 4, archive on), {template.Steps}-step runs for {measured.TotalSeconds:0} s: **{stepsPerSecond:N0} steps/s** ({sessionsInPeriod:N0} runs), target >= 2,000. Working set idle {idleWs / 1048576.0:0} MB (managed heap {idleHeap / 1048576.0:0} MB), peak under load {peakWs / 1048576.0:0} MB.");
        sb.AppendLine();
        sb.AppendLine("| window | runs published | steps/s | working set MB | managed heap MB |");
        sb.AppendLine("|---|---|---|---|---|");
        for (int w = 0; w < windows.Count; w++)
        {
            (double s, long n, long ws, long heap) = windows[w];
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {w + 1} | {n:N0} | {n * template.Steps / s:N0} | {ws / 1048576.0:0} | {heap / 1048576.0:0} |");
        }

        latencies.Sort();
        return (sb.ToString(), stepsPerSecond, latencies.ToArray());
    }

    private static async Task<double> DropAndWaitAsync(string inbox, RunTemplate template, string sid, TrajectoryPublisher publisher, PublishNotifications notifications)
    {
        string coordinate = publisher.CoordinateOf(sid);
        long t0 = Stopwatch.GetTimestamp();
        template.WriteTo(inbox, sid);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await notifications.WhenSessionPublishedAsync(coordinate, cts.Token).ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
    }

    private static async Task<(string Row, double Ratio)> LocalRelaysAsync(string root, RunTemplate template, int runs, int relayCount, int? window)
    {
        var relays = new List<LocalRelay>();
        string eventsFile;
        int eventCount;
        TimeSpan elapsed;
        TimeSpan committedBy;
        double workerCpu;
        double relayCpu;
        try
        {
            for (int r = 0; r < relayCount; r++)
            {
                relays.Add(await LocalRelay.StartAsync().ConfigureAwait(false));
            }

            string dir = NewDataDirectory(root, $"local{relayCount}");
            using IHost host = BuildHost(dir, relays.Select(r => r.Url).ToArray(), window);
            PublishNotifications notifications = host.Services.GetRequiredService<PublishNotifications>();
            TrajectoryPublisher publisher = host.Services.GetRequiredService<TrajectoryPublisher>();
            OutboxStore store = host.Services.GetRequiredService<OutboxStore>();
            await host.StartAsync().ConfigureAwait(false);
            string inbox = Path.Combine(dir, "spool", "inbox");
            Directory.CreateDirectory(inbox);
            await DropAndWaitAsync(inbox, template, "warmup", publisher, notifications).ConfigureAwait(false);

            // Written aside first, so the measured time is the worker's and not file generation.
            string staging = Directory.CreateDirectory(Path.Combine(dir, "staging")).FullName;
            string[] sids = Enumerable.Range(0, runs).Select(r => $"l{relayCount}-{r:D5}").ToArray();
            string[] staged = sids.Select(s => template.WriteTo(staging, s)).ToArray();
            var waits = sids.Select(s => notifications.WhenSessionPublishedAsync(publisher.CoordinateOf(s), CancellationToken.None)).ToArray();
            // When the last run was committed: intake (convert, redact, sign, commit) shares the cores with the relay until then.
            long lastCommit = 0;
            using var listener = new System.Diagnostics.Metrics.MeterListener();
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == WorkerMetrics.MeterName && instrument.Name == "sovtraj.outbox.events_committed")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((_, _, _, _) => Interlocked.Exchange(ref lastCommit, Stopwatch.GetTimestamp()));
            listener.Start();
            TimeSpan cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            TimeSpan relayCpu0 = RelayCpu(relays);
            long t0 = Stopwatch.GetTimestamp();
            foreach (string f in staged)
            {
                File.Move(f, Path.Combine(inbox, Path.GetFileName(f)));
            }

            await Task.WhenAll(waits).ConfigureAwait(false);
            elapsed = Stopwatch.GetElapsedTime(t0);
            committedBy = Stopwatch.GetElapsedTime(t0, Interlocked.Read(ref lastCommit));
            workerCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
            relayCpu = (RelayCpu(relays) - relayCpu0).TotalSeconds;

            var events = new List<NostrEvent>();
            foreach (string sid in sids)
            {
                events.AddRange(await store.GetEventsAsync(publisher.CoordinateOf(sid), CancellationToken.None).ConfigureAwait(false));
            }

            await host.StopAsync().ConfigureAwait(false);
            eventCount = events.Count;
            eventsFile = Path.Combine(root, $"events-{relayCount}.jsonl");
            await File.WriteAllLinesAsync(eventsFile, events.Select(CanonicalJson.Serialize)).ConfigureAwait(false);
        }
        finally
        {
            foreach (LocalRelay r in relays)
            {
                await r.DisposeAsync().ConfigureAwait(false);
            }
        }

        // The ceiling: the same events, all in flight, to fresh relays (one nostr-tools client per relay, at once).
        var fresh = new List<LocalRelay>();
        double ceilingSeconds;
        double ceilingRelayCpu;
        try
        {
            for (int r = 0; r < relayCount; r++)
            {
                fresh.Add(await LocalRelay.StartAsync().ConfigureAwait(false));
            }

            TimeSpan ceilingCpu0 = RelayCpu(fresh);
            double[] times = await Task.WhenAll(fresh.Select(async r =>
            {
                string output = await NodePeer.RunAsync("bench-pool.mjs", ["publish", r.Url.ToString(), eventsFile], timeout: TimeSpan.FromMinutes(10)).ConfigureAwait(false);
                using JsonDocument doc = JsonDocument.Parse(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
                return doc.RootElement.GetProperty("seconds").GetDouble();
            })).ConfigureAwait(false);
            ceilingSeconds = times.Max();
            ceilingRelayCpu = (RelayCpu(fresh) - ceilingCpu0).TotalSeconds;
        }
        finally
        {
            foreach (LocalRelay r in fresh)
            {
                await r.DisposeAsync().ConfigureAwait(false);
            }
        }

        double workerRate = eventCount / elapsed.TotalSeconds;
        double ceiling = eventCount / ceilingSeconds;
        double ratio = workerRate / ceiling;
        string row = string.Create(CultureInfo.InvariantCulture,
            $"| {relayCount} | {elapsed.TotalSeconds:0.00} (all committed at {committedBy.TotalSeconds:0.00}) | {workerRate:N0} ({eventCount:N0} events) | {(double)runs * template.Steps / elapsed.TotalSeconds:N0} | {ceiling:N0} | {ratio:0.00} | >= 0.9 | {workerCpu:0.0} / {relayCpu:0.0} | {ceilingRelayCpu:0.0} |");
        return (row, ratio);
    }

    /// <summary>CPU time of the relay processes so far (the relays are single-threaded Node processes).</summary>
    private static TimeSpan RelayCpu(IEnumerable<LocalRelay> relays)
    {
        TimeSpan total = TimeSpan.Zero;
        foreach (LocalRelay r in relays)
        {
            using Process p = Process.GetProcessById(r.ProcessId);
            total += p.TotalProcessorTime;
        }

        return total;
    }

    private static string NewDataDirectory(string root, string name)
    {
        string dir = Directory.CreateDirectory(Path.Combine(root, name)).FullName;
        using SecretKey key = SecretKey.Generate();
        SecretKey.WriteNewKeyFile(Path.Combine(dir, "agent.key"), key);
        return dir;
    }

    private static IHost BuildHost(string dir, IReadOnlyList<Uri> relays, int? window)
    {
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["SovereignTrajectories:DataDirectory"] = dir,
            ["SovereignTrajectories:Key:File"] = Path.Combine(dir, "agent.key"),
            ["SovereignTrajectories:Quorum"] = relays.Count.ToString(CultureInfo.InvariantCulture),
            ["SovereignTrajectories:Intake:Spool:QuietPeriod"] = "00:00:00",
            ["SovereignTrajectories:Intake:Spool:RescanInterval"] = "00:00:00.100",
            ["SovereignTrajectories:Intake:Live:Enabled"] = "false",
            ["SovereignTrajectories:Intake:Http:Enabled"] = "false",
            ["SovereignTrajectories:Intake:Feedback:Enabled"] = "false",
        };
        if (window is int w)
        {
            settings["SovereignTrajectories:Delivery:MaxInFlightPerRelay"] = w.ToString(CultureInfo.InvariantCulture);
        }

        for (int r = 0; r < relays.Count; r++)
        {
            settings[$"SovereignTrajectories:Relays:{r}"] = relays[r].ToString();
        }

        return WorkerHost.CreateBuilder(null, includeIntake: true, settings, LogLevel.Warning).Build();
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    /// <summary>One coding run as REPLAY.jsonl with a placeholder sid, so a new run file costs a string replace.</summary>
    private sealed class RunTemplate
    {
        private const string Placeholder = "SIDPLACEHOLDER00";
        private readonly string _jsonl;

        public RunTemplate(int steps)
        {
            Steps = steps;
            DateTimeOffset t = DateTimeOffset.UtcNow.AddDays(-1);
            var list = new List<Step> { new UserStep("Fix the failing test in the parser") { Timestamp = t } };
            for (int s = 1; list.Count < steps; s++)
            {
                DateTimeOffset at = t.AddSeconds(s);
                list.Add(s % 2 == 0
                    ? new ToolStep("Bash", $"c{s}", $"{{\"command\":\"grep -n foo src/file{s}.cs\"}}", $"src/file{s}.cs:{s}: foo();\n", true) { Timestamp = at, LatencyMs = 40 }
                    : new AgentStep($"Step {s}: reading the code") { Timestamp = at, Model = "bench-model", Usage = new Usage(1200, 80, 400, 0.002m) });
            }

            Trajectory run = Trajectory.Create(new SessionInfo(Placeholder, t) { Model = "bench-model", EndedAt = t.AddSeconds(steps + 1) }, list);
            _jsonl = ReplayWriter.ToJsonl(run);
        }

        public int Steps { get; }

        /// <summary>Writes the run as <c>sid.REPLAY.jsonl</c> (aside, then renamed in, as the spool contract asks); returns its path.</summary>
        public string WriteTo(string directory, string sid)
        {
            string target = Path.Combine(directory, sid + ".REPLAY.jsonl");
            File.WriteAllText(target + ".part", _jsonl.Replace(Placeholder, sid, StringComparison.Ordinal));
            File.Move(target + ".part", target);
            return target;
        }
    }
}
