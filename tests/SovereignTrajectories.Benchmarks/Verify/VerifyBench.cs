using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using SovereignTrajectories.Audit.Fetching;
using SovereignTrajectories.Audit.Verification;
using SovereignTrajectories.Nostr.Crypto;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Relays;
using SovereignTrajectories.Relays.Configuration;
using RelayPublishResult = SovereignTrajectories.Relays.Publishing.PublishResult;
using SovereignTrajectories.Testing;
using SovereignTrajectories.Trajectories.Mapping;
using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Benchmarks.Verify;

/// <summary>
/// <c>bench verify</c>: (1) fetch and verify a published trajectory from a fresh local relay, our
/// auditor against a nostr-tools + nostr-wasm script (tests/peers/bench-verify.mjs), one run each;
/// (2) offline verification of a large archive in a child process (so its peak memory is the
/// verifier's alone), against the raw single-core libsecp256k1 verify rate times the cores, measured
/// just before and just after each of <c>--offline-runs N</c> child runs (default 3). The child is the published
/// tool when SOVTRAJ_CLI names it (<c>./build.sh bench</c> does), else this program in child mode.
/// <c>--offline-only</c> skips (1); <c>--stages</c> and <c>--memory</c> make the child print where its
/// time and memory go before the measured run (which they inflate); <c>--keep-archive DIR</c> keeps the
/// archive so the child can be re-run alone: <c>verify --offline-child DIR PUBKEY bench-archive</c>.
/// </summary>
internal static class VerifyBench
{
    private const string ChildFlag = "--offline-child";
    private const string StagesFlag = "--stages";
    private const string MemoryFlag = "--memory";
    private const int ShippedColdRuns = 3;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length is 4 or 5 && args[0] == ChildFlag)
        {
            return await ChildAsync(args[1], args[2], args[3], diagnostic: args.Length == 5 ? args[4] : null).ConfigureAwait(false);
        }

        int relaySteps = 2000;
        int archiveSteps = 100_000;
        int offlineRuns = 3;
        int outputChars = 0;
        bool offlineOnly = false;
        string? diagnostic = null;
        string? keepDir = null;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--offline-only")
            {
                offlineOnly = true;
            }
            else if (args[i] is StagesFlag or MemoryFlag)
            {
                diagnostic = args[i];
            }
            else if (args[i] == "--keep-archive" && i + 1 < args.Length)
            {
                // Leaves the archive (and the agent key's pubkey in pubkey.txt) for re-running the child alone.
                keepDir = Path.GetFullPath(args[++i]);
            }
            else if (i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out int n) && n > 0 && args[i] is "--steps" or "--archive-steps" or "--offline-runs" or "--archive-output-chars")
            {
                if (args[i] == "--steps")
                {
                    relaySteps = n;
                }
                else if (args[i] == "--archive-output-chars")
                {
                    outputChars = n;
                }
                else if (args[i] == "--offline-runs")
                {
                    offlineRuns = n;
                }
                else
                {
                    archiveSteps = n;
                }

                i++;
            }
            else
            {
                Console.Error.WriteLine($"verify: unknown or malformed argument '{args[i]}'; usage: verify [--steps N] [--archive-steps N] [--archive-output-chars N] [--offline-runs N] [--offline-only] [--stages | --memory] [--keep-archive DIR]");
                return 2;
            }
        }

        using SecretKey key = SecretKey.Generate();

        string relayTable = offlineOnly ? string.Empty : await RelayPartAsync(key, relaySteps).ConfigureAwait(false);
        if (relayTable.Length == 0 && !offlineOnly)
        {
            return 1;
        }

        // 2. Offline archive, verified by a child process.
        Console.Error.WriteLine($"verify: mapping and signing a {archiveSteps}-step archive...");
        string dir = keepDir ?? Directory.CreateTempSubdirectory("sovtraj-bench-verify-").FullName;
        if (keepDir is not null)
        {
            Directory.CreateDirectory(keepDir);
            await File.WriteAllTextAsync(Path.Combine(keepDir, "pubkey.txt"), key.PublicKey.Hex).ConfigureAwait(false);
        }

        try
        {
            NostrEvent[] rawSample;
            {
                MappedTrajectory big = Map(key, "bench-archive", archiveSteps, outputChars);
                await using (var w = new StreamWriter(Path.Combine(dir, "events.jsonl"), false, new UTF8Encoding(false)))
                {
                    foreach (NostrEvent e in big.Events)
                    {
                        await w.WriteAsync(CanonicalJson.Serialize(e)).ConfigureAwait(false);
                        await w.WriteAsync('\n').ConfigureAwait(false);
                    }
                }

                rawSample = big.StepEvents.Take(20_000).ToArray();
            }

            // This machine's speed drifts by 10-20% from minute to minute, so each child run is bracketed by
            // a raw measurement just before and just after it, and its share is taken against their mean: a
            // single burst before the run moved the share by up to 15 points on its own. The table gives both.
            var runs = new List<OfflineRun>();
            GC.Collect();
            double rawBefore = RawVerifyRate(rawSample);
            for (int i = 0; i < offlineRuns; i++)
            {
                Console.Error.WriteLine($"verify: offline verification in a child process, run {i + 1} of {offlineRuns}...");
                ToolRun child = await RunChildAsync(dir, key.PublicKey.Hex, "bench-archive", diagnostic).ConfigureAwait(false);
                GC.Collect();
                double rawAfter = RawVerifyRate(rawSample);
                runs.Add(new OfflineRun(child, rawBefore, rawAfter));

                // The measurement after one run is the one before the next: each child sits between two.
                rawBefore = rawAfter;
            }

            long archiveBytes = new FileInfo(Path.Combine(dir, "events.jsonl")).Length;
            Console.WriteLine(relayTable + OfflineTable(archiveSteps, archiveBytes, runs, Environment.ProcessorCount));
            return 0;
        }
        finally
        {
            if (keepDir is null)
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    /// <summary>
    /// Part 1, fetch + verify from a fresh local relay against the Node peer; the table, or empty when our
    /// audit failed. Like with like: the relay first serves the trajectory once to a throwaway peer run,
    /// so neither measured client meets its cold query path; each side's clock runs from before it
    /// connects until the verdict (connection close excluded on both sides); "cold" is each side's first
    /// run in its process (ours: the pool's connection code is already warm from publishing, the fetch
    /// and audit code is not; theirs: modules imported, WASM set up), "warm" the median of later runs on
    /// new connections in the same process. With SOVTRAJ_CLI set, also the shipped tool's cold run, three
    /// times, each in a new process, beside as many first runs of new peer processes.
    /// <c>SOVTRAJ_BENCH_RELAY_PHASES=1</c> prints where our warm time goes (connect, first event, all
    /// events, checks, process CPU); <c>=first</c> also the phases of a cold run.
    /// </summary>
    private static async Task<string> RelayPartAsync(SecretKey key, int relaySteps)
    {
        const int warmRounds = 5;
        Console.Error.WriteLine($"verify: mapping and signing a {relaySteps}-step trajectory...");
        MappedTrajectory small = Map(key, "bench-relay", relaySteps);
        await using LocalRelay relay = await LocalRelay.StartAsync().ConfigureAwait(false);
        Console.Error.WriteLine($"verify: publishing {small.Events.Count} events to {relay.Url}...");
        await PublishAsync(relay.Url, small.Events).ConfigureAwait(false);
        AuditTarget target = AuditTargetParser.Parse($"39230:{key.PublicKey.Hex}:bench-relay");

        Console.Error.WriteLine("verify: warming the relay with one throwaway peer run...");
        await RunPeerAsync(relay.Url, key.PublicKey.Hex, rounds: 1).ConfigureAwait(false);

        if (Environment.GetEnvironmentVariable("SOVTRAJ_BENCH_RELAY_PHASES") == "first")
        {
            // Diagnostic only: the phases of a cold run; the "cold" run measured next is then not cold.
            await RelayPhasesAsync(relay.Url, key.PublicKey.Hex, "bench-relay", 1).ConfigureAwait(false);
        }

        Console.Error.WriteLine("verify: ours (fetch + every check), first run in this process...");
        (AuditReport ours, double ourCold) = await AuditOnceAsync(relay.Url, target).ConfigureAwait(false);

        // The relay keeps only the newest session version: every step plus one version.
        if (ours.Verdict != AuditVerdict.Pass || ours.EventsFetched != small.StepEvents.Count + 1)
        {
            Console.Error.WriteLine($"verify: our audit did not pass on all {small.Events.Count} events: {ours.VerdictLine} ({ours.EventsFetched} fetched)");
            return string.Empty;
        }

        Console.Error.WriteLine($"verify: nostr-tools + nostr-wasm, {1 + warmRounds} runs in one process...");
        PeerRun theirs = await RunPeerAsync(relay.Url, key.PublicKey.Hex, rounds: 1 + warmRounds).ConfigureAwait(false);

        // The tool as users run it (ReadyToRun, its own runtime settings): every run is a first run in a new
        // process, so both sides get several cold samples, alternately: the tool's and more peer processes.
        ShippedCold? shipped = null;
        if (Environment.GetEnvironmentVariable("SOVTRAJ_CLI") is { Length: > 0 } tool)
        {
            var toolCold = new List<double>();
            var peerCold = new List<double> { theirs.Rounds[0] };
            for (int i = 0; i < ShippedColdRuns; i++)
            {
                Console.Error.WriteLine($"verify: sovtraj as shipped, own process, run {i + 1} of {ShippedColdRuns}...");
                (int toolEvents, double toolSeconds, _, _, string toolVerdict) = await RunToolAsync(tool, ["--relay", relay.Url.ToString()], key.PublicKey.Hex, "bench-relay").ConfigureAwait(false);
                if (toolVerdict != "pass" || toolEvents != ours.EventsFetched)
                {
                    Console.Error.WriteLine($"verify: the shipped tool's run {i + 1} did not pass: {toolVerdict} ({toolEvents} events)");
                    return string.Empty;
                }

                toolCold.Add(toolSeconds);
                if (i + 1 < ShippedColdRuns)
                {
                    peerCold.Add((await RunPeerAsync(relay.Url, key.PublicKey.Hex, rounds: 1).ConfigureAwait(false)).Rounds[0]);
                }
            }

            shipped = new ShippedCold(toolCold, peerCold);
        }

        Console.Error.WriteLine($"verify: ours, {warmRounds} more runs...");
        var ourWarm = new List<double>();
        for (int i = 0; i < warmRounds; i++)
        {
            (AuditReport again, double seconds) = await AuditOnceAsync(relay.Url, target).ConfigureAwait(false);
            if (again.Verdict != AuditVerdict.Pass || again.EventsFetched != ours.EventsFetched)
            {
                Console.Error.WriteLine($"verify: warm run {i + 1} did not pass: {again.VerdictLine} ({again.EventsFetched} fetched)");
                return string.Empty;
            }

            ourWarm.Add(seconds);
        }

        if (Environment.GetEnvironmentVariable("SOVTRAJ_BENCH_RELAY_PHASES") is "1" or "first")
        {
            await RelayPhasesAsync(relay.Url, key.PublicKey.Hex, "bench-relay", warmRounds).ConfigureAwait(false);
        }

        Console.Error.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"verify: ours {ourCold:0.000} s then {string.Join(", ", ourWarm.Select(s => s.ToString("0.000", CultureInfo.InvariantCulture)))}; theirs {string.Join(", ", theirs.Rounds.Select(s => s.ToString("0.000", CultureInfo.InvariantCulture)))}"));
        bool sameHash = theirs.TrajectoryHash == ours.Trajectory!.Resolved!.TrajectoryHash;
        return RelayTable(relaySteps, (int)ours.EventsFetched, ourCold, Median(ourWarm), theirs, Median(theirs.Rounds.Skip(1)), sameHash, shipped);
    }

    /// <summary>One audit through a new pool; the seconds stop at the verdict, before the connection is closed (as the peer's do).</summary>
    private static async Task<(AuditReport Report, double Seconds)> AuditOnceAsync(Uri relay, AuditTarget target)
    {
        var sw = Stopwatch.StartNew();
        await using var source = new RelayEventSource(RelayPoolConfiguration.FromUrls([relay.ToString()]));
        AuditReport report = await new TrajectoryAuditor(source).AuditAsync(target, CancellationToken.None).ConfigureAwait(false);
        return (report, sw.Elapsed.TotalSeconds);
    }

    private static async Task<PeerRun> RunPeerAsync(Uri relay, string pubKey, int rounds)
    {
        string output = await NodePeer.RunAsync(
            "bench-verify.mjs",
            [relay.ToString(), pubKey, "bench-relay", rounds.ToString(CultureInfo.InvariantCulture)],
            timeout: TimeSpan.FromMinutes(10)).ConfigureAwait(false);
        using JsonDocument peer = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        JsonElement r = peer.RootElement;
        return new PeerRun(
            r.GetProperty("count").GetInt32(),
            r.GetProperty("valid").GetInt32(),
            r.GetProperty("trajectoryHash").GetString() ?? string.Empty,
            r.GetProperty("rounds").EnumerateArray().Select(e => e.GetDouble()).ToArray());
    }

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Diagnostic: where one warm fetch + audit spends its time, <paramref name="rounds"/> times.</summary>
    private static async Task RelayPhasesAsync(Uri relay, string pubKey, string sid, int rounds)
    {
        for (int round = 0; round < rounds; round++)
        {
            using var self = Process.GetCurrentProcess();
            TimeSpan cpu0 = self.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            await using var pool = new RelayPool(RelayPoolConfiguration.FromUrls([relay.ToString()]));
            await pool.ConnectAsync(CancellationToken.None).ConfigureAwait(false);
            double connected = sw.Elapsed.TotalMilliseconds;
            double first = 0;
            var events = new List<NostrEvent>();
            await foreach (NostrEvent e in pool.StreamAsync(TrajectoryFilters.ForSession(pubKey, sid), CancellationToken.None).ConfigureAwait(false))
            {
                if (events.Count == 0)
                {
                    first = sw.Elapsed.TotalMilliseconds;
                }

                events.Add(e);
            }

            double fetched = sw.Elapsed.TotalMilliseconds;
            TrajectoryVerification v = new TrajectoryVerifier().Verify(new TrajectoryEvidence(pubKey, sid, events, [], [], Offline: false, PreVerified: true));
            double verified = sw.Elapsed.TotalMilliseconds;
            self.Refresh();
            Console.Error.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"relay phases #{round}: connected (NIP-11 + WebSocket) {connected:0.0} ms, first event {first:0.0}, all {events.Count} events {fetched:0.0}, checks done {verified:0.0} ({(v.CouldNotRun ? "could not run" : "ran")}); process cpu {(self.TotalProcessorTime - cpu0).TotalMilliseconds:0} ms"));
        }
    }

    private static string RelayTable(int relaySteps, int relayEvents, double ourCold, double ourWarm, PeerRun theirs, double theirWarm, bool sameHash, ShippedCold? shipped)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"### verify: fetch + verify a {relaySteps}-step trajectory from a fresh local relay");
        sb.AppendLine();
        sb.AppendLine("Cold: each side's first run in its process. Warm: median of the next runs, each on a new connection. The relay served the trajectory once before either was timed.");
        sb.AppendLine();
        sb.AppendLine("| client | events | cold s | cold events/s | warm s | warm events/s | notes |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---|");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| sovtraj verify (RelayPool + TrajectoryAuditor, every §7 check) | {relayEvents} | {ourCold:0.000} | {relayEvents / ourCold:0} | {ourWarm:0.000} | {relayEvents / ourWarm:0} | verdict pass; same trajectory_hash as published |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| nostr-tools 2.25.2 + nostr-wasm 0.1.0 (fetch, verify, trajectory_hash) | {theirs.Count} | {theirs.Rounds[0]:0.000} | {theirs.Count / theirs.Rounds[0]:0} | {theirWarm:0.000} | {theirs.Count / theirWarm:0} | {theirs.Valid} valid; same trajectory_hash: {(sameHash ? "yes" : "NO")} |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| ratio | | **{theirs.Rounds[0] / ourCold:0.00}x** | | **{theirWarm / ourWarm:0.00}x** | | target >= 3x |");
        sb.AppendLine();
        if (shipped is not null)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"The tool as shipped (`out/cli`, ReadyToRun), {shipped.Tool.Count} runs, each the first in a new process (audit seconds from `--stats`: connect to verdict), alternating with new peer processes:");
            sb.AppendLine();
            sb.AppendLine("| client | cold s, median | cold s, each run |");
            sb.AppendLine("|---|---:|---|");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| `sovtraj verify --relay URL --json --stats` | {Median(shipped.Tool):0.000} | {Seconds(shipped.Tool)} |");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| nostr-tools + nostr-wasm, first run of each process | {Median(shipped.Peer):0.000} | {Seconds(shipped.Peer)} |");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| ratio of medians | **{Median(shipped.Peer) / Median(shipped.Tool):0.00}x** | target >= 3x |");
            sb.AppendLine();
        }

        return sb.ToString();
    }

    private static string Seconds(IEnumerable<double> values) => string.Join(", ", values.Select(v => v.ToString("0.000", CultureInfo.InvariantCulture)));

    /// <summary>Cold runs of the shipped tool, each in its own process, and the peer's first runs beside them.</summary>
    private sealed record ShippedCold(List<double> Tool, List<double> Peer);

    /// <summary>What one bench-verify.mjs process reported: its first run's counts and every run's seconds.</summary>
    private sealed record PeerRun(int Count, int Valid, string TrajectoryHash, double[] Rounds);

    private static string OfflineTable(int archiveSteps, long archiveBytes, List<OfflineRun> runs, int cores)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"### verify: offline archive of {archiveSteps} steps ({archiveBytes / (1024.0 * 1024.0):0.0} MiB events.jsonl), {cores} cores, {runs.Count} runs");
        sb.AppendLine();
        sb.AppendLine("| run | events (verdict) | seconds: all (reading with signatures + checks) | events/s, all cores | raw libsecp256k1 verify, one core: before / after (mean) | share of raw x cores | the reading pass alone: share | peak memory (VmHWM) |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (int i = 0; i < runs.Count; i++)
        {
            OfflineRun r = runs[i];
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {i + 1} | {r.Run.Events} ({r.Run.Verdict}) | {r.Run.Seconds:0.00} ({r.Run.FetchSeconds:0.00} + {r.Run.CheckSeconds:0.00}) | {r.Rate:0} | {r.RawBefore:0} / {r.RawAfter:0} ({r.RawPerCore:0}) | {r.Share(cores):P0} | {r.ReadShare(cores):P0} | {r.Run.PeakMb:0} MB |");
        }

        sb.AppendLine(CultureInfo.InvariantCulture, $"| **median** | | {Median(runs.Select(r => r.Run.Seconds)):0.00} ({Median(runs.Select(r => r.Run.FetchSeconds)):0.00} + {Median(runs.Select(r => r.Run.CheckSeconds)):0.00}) | {Median(runs.Select(r => r.Rate)):0} | {Median(runs.Select(r => r.RawPerCore)):0} | **{Median(runs.Select(r => r.Share(cores))):P0}** (target >= 80%) | {Median(runs.Select(r => r.ReadShare(cores))):P0} | **{runs.Max(r => r.Run.PeakMb):0} MB** at most (target < 300 MB) |");
        return sb.ToString();
    }

    /// <summary>One audit by a child process: its events, its seconds (of which <see cref="FetchSeconds"/> reading them with their signatures), its peak memory and verdict.</summary>
    private sealed record ToolRun(int Events, double Seconds, double FetchSeconds, double PeakMb, string Verdict)
    {
        public double CheckSeconds => Seconds - FetchSeconds;
    }

    /// <summary>One offline child run and the raw verify rates measured just before and just after it.</summary>
    private sealed record OfflineRun(ToolRun Run, double RawBefore, double RawAfter)
    {
        public double Rate => Run.Events / Run.Seconds;

        public double RawPerCore => (RawBefore + RawAfter) / 2;

        public double Share(int cores) => Rate / (RawPerCore * cores);

        /// <summary>The share of the reading pass alone (parse, ids, signatures), before any check runs.</summary>
        public double ReadShare(int cores) => Run.Events / Run.FetchSeconds / (RawPerCore * cores);
    }

    /// <param name="outputChars">When above 0, each tool step's output is this long (real runs hold long outputs; the default archive's are one line).</param>
    private static MappedTrajectory Map(SecretKey key, string sid, int steps, int outputChars = 0)
    {
        long start = 1_700_000_000;
        var list = new List<Step>(steps);
        for (int i = 0; i < steps; i++)
        {
            DateTimeOffset at = DateTimeOffset.FromUnixTimeSeconds(start + 1 + i);
            list.Add((Step)((i % 4) switch
            {
                0 => new UserStep($"step {i}: please look at file {i % 97}.cs and explain the failure"),
                1 => new AgentStep($"step {i}: the failure comes from an off-by-one in the loop at line {i % 311}.") { Model = "bench", Usage = new Usage(100, 20, 0, 0.001m) },
                2 => new ToolStep("bash", $"call-{i}", "{\"cmd\":\"grep -n loop src/File" + (i % 97).ToString(CultureInfo.InvariantCulture) + ".cs\"}", Output(i, outputChars), true) { LatencyMs = 5 },
                _ => (Step)new AgentStep($"step {i}: fixed.") { Model = "bench" },
            }) with { Timestamp = at });
        }

        var session = new SessionInfo(sid, DateTimeOffset.FromUnixTimeSeconds(start))
        {
            EndedAt = DateTimeOffset.FromUnixTimeSeconds(start + steps + 1),
            Model = "bench",
        };
        return new TrajectoryEventMapper().Map(Trajectory.Create(session, list), key);
    }

    private static string Output(int i, int chars)
    {
        string line = $"{i % 311}: for (int i = 0; i <= n; i++)";
        if (chars <= line.Length)
        {
            return line;
        }

        var sb = new StringBuilder(chars + 64);
        for (int n = 0; sb.Length < chars; n++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"src/File{i % 97}.cs:{n}: {line} // \"checked\" \u00e9\n");
        }

        return sb.ToString(0, chars);
    }

    private static async Task PublishAsync(Uri relay, IReadOnlyList<NostrEvent> events)
    {
        await using var pool = new RelayPool(RelayPoolConfiguration.FromUrls([relay.ToString()]));
        if (await pool.ConnectAsync(CancellationToken.None).ConfigureAwait(false) != 1)
        {
            throw new InvalidOperationException($"could not connect to {relay}");
        }

        // The connection keeps its own window of events waiting for an OK.
        var tasks = events.Select(async e =>
        {
            RelayPublishResult r = await pool.PublishAsync(e, CancellationToken.None).ConfigureAwait(false);
            if (!r.QuorumReached)
            {
                throw new InvalidOperationException($"relay refused {e.Id}: {r.Relays[0].Outcome.Describe()}");
            }
        }).ToList();
        await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    /// <summary>Single-core BIP-340 verifies per second on the events' ids: the ceiling per core.</summary>
    private static double RawVerifyRate(NostrEvent[] events)
    {
        var prepared = events.Select(e => (Id: Convert.FromHexString(e.Id), Sig: Convert.FromHexString(e.Sig), Pk: Convert.FromHexString(e.PubKey))).ToArray();
        foreach (var p in prepared.Take(200))
        {
            Schnorr.Verify(p.Sig, p.Id, p.Pk);
        }

        var sw = Stopwatch.StartNew();
        int ok = 0;
        foreach (var p in prepared)
        {
            ok += Schnorr.Verify(p.Sig, p.Id, p.Pk) ? 1 : 0;
        }

        if (ok != prepared.Length)
        {
            throw new InvalidOperationException("raw verify rejected a valid signature");
        }

        return prepared.Length / sw.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// The tool as users run it: the published tool (<c>./build.sh bench</c> publishes it ReadyToRun into
    /// out/cli and names it in SOVTRAJ_CLI), <c>sovtraj verify TARGET --offline DIR</c> or <c>--relay URL</c>,
    /// with <c>--json --stats</c>. Seconds are the audit's own (from connecting or reading the first byte to
    /// the verdict, process start-up excluded);
    /// memory is the process's peak working set, start-up included.
    /// </summary>
    private static async Task<ToolRun> RunToolAsync(string tool, string[] source, string pubKey, string sid)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in (string[])[tool, "verify", $"39230:{pubKey}:{sid}", .. source, "--json", "--stats"])
        {
            psi.ArgumentList.Add(a);
        }

        var wall = Stopwatch.StartNew();
        (int exitCode, string stdout, string stderr) = await RunCapturedAsync(psi).ConfigureAwait(false);
        Match stats = Regex.Match(stderr, @"stats: (?<events>\d+) events in (?<seconds>[\d.]+) s .*reading with signatures (?<fetch>[\d.]+) s.*process CPU (?<cpu>[\d.]+) s .*peak memory (?<peak>\d+) MB");
        if (exitCode != 0 || !stats.Success)
        {
            throw new InvalidOperationException($"sovtraj verify {string.Join(' ', source)} exited {exitCode}: {stderr}");
        }

        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"child ({tool} {source[0]}): process wall {wall.Elapsed.TotalSeconds:0.00} s, CPU {stats.Groups["cpu"].Value} s"));
        using JsonDocument doc = JsonDocument.Parse(stdout);
        return new ToolRun(
            int.Parse(stats.Groups["events"].Value, CultureInfo.InvariantCulture),
            double.Parse(stats.Groups["seconds"].Value, CultureInfo.InvariantCulture),
            double.Parse(stats.Groups["fetch"].Value, CultureInfo.InvariantCulture),
            double.Parse(stats.Groups["peak"].Value, CultureInfo.InvariantCulture),
            doc.RootElement.GetProperty("verdict").GetString() ?? "?");
    }

    private static async Task<ToolRun> RunChildAsync(string dir, string pubKey, string sid, string? diagnostic)
    {
        if (diagnostic is null && Environment.GetEnvironmentVariable("SOVTRAJ_CLI") is { Length: > 0 } tool)
        {
            return await RunToolAsync(tool, ["--offline", dir], pubKey, sid).ConfigureAwait(false);
        }

        string exe = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(exe) == "dotnet")
        {
            psi.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        foreach (string a in (string[])["verify", ChildFlag, dir, pubKey, sid, .. (diagnostic is null ? [] : (string[])[diagnostic])])
        {
            psi.ArgumentList.Add(a);
        }

        (int exitCode, string stdout, string stderr) = await RunCapturedAsync(psi).ConfigureAwait(false);
        if (diagnostic is not null)
        {
            Console.Error.Write(stderr);
        }

        if (exitCode != 0)
        {
            throw new InvalidOperationException($"offline child exited {exitCode}: {stderr}");
        }

        using JsonDocument doc = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
        JsonElement r = doc.RootElement;
        return new ToolRun(r.GetProperty("events").GetInt32(), r.GetProperty("seconds").GetDouble(), r.GetProperty("fetchSeconds").GetDouble(), r.GetProperty("peakMb").GetDouble(), r.GetProperty("verdict").GetString() ?? "?");
    }

    /// <summary>Runs a child to its end, both output streams read at once so neither can fill and stall it.</summary>
    private static async Task<(int ExitCode, string StdOut, string StdErr)> RunCapturedAsync(ProcessStartInfo psi)
    {
        using Process p = Process.Start(psi) ?? throw new InvalidOperationException($"{psi.FileName} did not start");
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        string stdout = await p.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
        await p.WaitForExitAsync().ConfigureAwait(false);
        return (p.ExitCode, stdout, await stderr.ConfigureAwait(false));
    }

    private static async Task<int> ChildAsync(string dir, string pubKey, string sid, string? diagnostic)
    {
        if (diagnostic == MemoryFlag)
        {
            // Diagnostic: where the peak working set is reached (loading or verifying), then the measured run.
            VerifyStages.Memory(dir, pubKey, sid);
            GC.Collect();
        }

        if (diagnostic == StagesFlag)
        {
            VerifyStages.Run(Path.Combine(dir, "events.jsonl"));
            GC.Collect();
            VerifyStages.Memory(dir, pubKey, sid);
            GC.Collect();
        }

        var sw = Stopwatch.StartNew();
        var auditor = new TrajectoryAuditor(new ArchiveEventSource(dir));
        AuditReport report = await auditor.AuditAsync(AuditTargetParser.Parse($"39230:{pubKey}:{sid}"), CancellationToken.None).ConfigureAwait(false);
        double seconds = sw.Elapsed.TotalSeconds;
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        double peakMb = self.PeakWorkingSet64 / (1024.0 * 1024.0);
        GCMemoryInfo heap = GC.GetGCMemoryInfo();
        // CPU time and GC pauses are printed beside the result: on a shared machine wall time alone is noisy.
        Console.Error.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"offline child: cpu {self.TotalProcessorTime.TotalSeconds:0.00} s, GC pause {GC.GetTotalPauseDuration().TotalSeconds:0.00} s, gen0/1/2 {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}, allocated {GC.GetTotalAllocatedBytes() / 1048576.0:0} MB, heap {heap.HeapSizeBytes / 1048576.0:0} MB, committed {heap.TotalCommittedBytes / 1048576.0:0} MB at the last GC"));
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{{\"events\":{report.EventsFetched},\"seconds\":{seconds},\"fetchSeconds\":{report.FetchElapsed.TotalSeconds},\"peakMb\":{peakMb},\"verdict\":\"{report.Verdict.ToString().ToLowerInvariant()}\"}}"));
        return report.Verdict == AuditVerdict.Pass ? 0 : 1;
    }
}
