using System.Diagnostics;
using System.Text.Json;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Testing;
using SovereignTrajectories.Trajectories.Mapping;
using SovereignTrajectories.Trajectories.Model;
using SovereignTrajectories.Trajectories.Replay;
using SovereignTrajectories.Worker.Outbox;
using Xunit.Abstractions;

namespace SovereignTrajectories.Worker.Tests.EndToEnd;

/// <summary>
/// The crash test at full scale with the real <c>sovtraj worker</c> process: 50 runs land in
/// its spool (five before each start) while it is killed with SIGKILL at random moments ten times
/// and restarted on the same data directory; then it is left to finish. Every run must end complete
/// on all three relays, each seq held by exactly one event (the one in the session archive), the
/// outbox empty, the inbox empty and every file archived.
/// </summary>
public sealed class WorkerCrashRecoveryTests(ITestOutputHelper output)
{
    private const int Runs = 50;
    private const int Kills = 10;

    [Fact]
    public async Task Killed_worker_resumes_from_its_data_directory_and_every_spooled_run_ends_complete_on_every_relay()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await using LocalRelay a = await LocalRelay.StartAsync(ct: cts.Token);
        await using LocalRelay b = await LocalRelay.StartAsync(ct: cts.Token);
        await using LocalRelay c = await LocalRelay.StartAsync(ct: cts.Token);
        Uri[] relays = [a.Url, b.Url, c.Url];
        string dir = TestWorker.NewDataDirectory();
        string config = WriteConfig(dir, relays);
        string inbox = Path.Combine(dir, "spool", "inbox");
        Directory.CreateDirectory(inbox);
        string outbox = Path.Combine(dir, "outbox.db");

        // SOVTRAJ_CRASH_SEED replays a failing schedule.
        int seed = int.TryParse(Environment.GetEnvironmentVariable("SOVTRAJ_CRASH_SEED"), out int fixedSeed) ? fixedSeed : Environment.TickCount;
        var random = new Random(seed);
        output.WriteLine($"kill schedule seed {seed}");

        var runs = new List<Trajectory>();

        // One unreadable file among the good ones: it must end in failed/ with its reason, disturbing nothing else.
        await File.WriteAllTextAsync(Path.Combine(inbox, "broken.REPLAY.jsonl"), "{\"type\":\"ReplayHeader\",\"replay_version\":1}\nthis is not json\n", cts.Token);
        int perStart = Runs / Kills;
        for (int k = 0; k < Kills; k++)
        {
            for (int i = k * perStart; i < (k + 1) * perStart; i++)
            {
                runs.Add(await DropAsync(inbox, i, cts.Token));
            }

            using Process p = SovtrajCli.Start(["worker", "--config", config], dir);
            DrainOutput(p);

            // Fault injection, not waiting for a result: the kill lands at a random point of start-up, scan, ingest, commit, archive or delivery.
            int killAfterMs = random.Next(400, 3000);
            Task exited = p.WaitForExitAsync(cts.Token);
            await Task.WhenAny(exited, Task.Delay(killAfterMs, cts.Token));
            Assert.False(p.HasExited, $"worker exited on its own before the kill (exit {(p.HasExited ? p.ExitCode : 0)})");
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync(cts.Token);
            output.WriteLine($"start {k}: killed after {killAfterMs} ms, {Directory.GetFiles(inbox).Length} files still in inbox, outbox depth {await DepthAsync(outbox, cts.Token)}");
        }

        using (Process final = SovtrajCli.Start(["worker", "--config", config], dir))
        {
            DrainOutput(final);
            try
            {
                await WaitUntilSettledAsync(outbox, inbox, Runs, final, cts.Token);
            }
            finally
            {
                if (!final.HasExited)
                {
                    final.Kill(entireProcessTree: true);
                }

                await final.WaitForExitAsync(CancellationToken.None);
            }
        }

        using (OutboxStore store = OutboxStore.Open(outbox))
        {
            OutboxStatus status = await store.GetStatusAsync(cts.Token);
            Assert.Equal(0, status.Depth);
            Assert.Equal(0, status.FailedDeliveries);
            Assert.Equal(0, status.SessionsPending);
        }

        Assert.Empty(Directory.GetFiles(inbox));
        string failed = Path.Combine(dir, "spool", "failed");
        Assert.Equal(["broken.REPLAY.jsonl", "broken.REPLAY.jsonl.error.txt"], Directory.GetFiles(failed).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains("broken.REPLAY.jsonl:2", await File.ReadAllTextAsync(Path.Combine(failed, "broken.REPLAY.jsonl.error.txt"), cts.Token), StringComparison.Ordinal);
        string[] archivedFiles = Directory.GetFiles(Path.Combine(dir, "spool", "archive")).Select(Path.GetFileName).OfType<string>().ToArray();
        foreach (Trajectory run in runs)
        {
            Assert.Contains(run.Session.Sid + ".REPLAY.jsonl", archivedFiles);
        }

        string author;
        using (var key = TestRuns.Key())
        {
            author = key.PublicKey.Hex;
        }

        var archived = runs.ToDictionary(r => r.Session.Sid, r => ReadArchive(dir, r.Session.Sid), StringComparer.Ordinal);
        foreach (Trajectory run in runs)
        {
            NostrEvent[] steps = archived[run.Session.Sid].Where(e => e.Kind == TrajectoryKinds.Step).ToArray();
            Assert.Equal(run.Steps.Count, steps.Length);
            Assert.Equal(steps.Length, steps.Select(e => e.Tags.FindValue("seq")).Distinct(StringComparer.Ordinal).Count());
        }

        foreach (Uri relay in relays)
        {
            IReadOnlyList<NostrEvent> held = await RelayReadBack.QueryAsync(relay, author, cts.Token);
            foreach (Trajectory run in runs)
            {
                string sid = run.Session.Sid;
                IReadOnlyList<NostrEvent> archive = archived[sid];
                NostrEvent[] steps = held.Where(e => e.Kind == TrajectoryKinds.Step && e.Tags.FindValue("session") == sid).ToArray();

                // Exactly one event per seq, and it is the one the archive recorded when the run was committed.
                Assert.Equal(run.Steps.Count, steps.Length);
                Assert.Equal(steps.Length, steps.Select(e => e.Tags.FindValue("seq")).Distinct(StringComparer.Ordinal).Count());
                Assert.Equal(
                    archive.Where(e => e.Kind == TrajectoryKinds.Step).Select(e => e.Id).Order(StringComparer.Ordinal),
                    steps.Select(e => e.Id).Order(StringComparer.Ordinal));

                TrajectoryReadResult read = TrajectoryEventReader.Read(held.Where(e => e.Kind != 39211), sid);
                Assert.Equal(archive.Last(e => e.Kind == TrajectoryKinds.Session).Id, read.Session.Id);
                Assert.Equal(run.Steps.Count, read.Trajectory.Steps.Count);
                Assert.NotNull(read.Trajectory.Session.EndedAt);
            }
        }

        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task<Trajectory> DropAsync(string inbox, int i, CancellationToken ct)
    {
        Trajectory run = TestRuns.Run($"wcrash-{i:D2}", 5 + (i % 6), start: TestRuns.Start.AddHours(i));
        string jsonl = ReplayWriter.ToJsonl(run);
        string target = Path.Combine(inbox, run.Session.Sid + ".REPLAY.jsonl");

        // Written aside and renamed, the way the spool contract says a complete file arrives.
        await File.WriteAllTextAsync(target + ".part", jsonl, ct);
        File.Move(target + ".part", target);
        return ReplayReader.Read(jsonl, target);
    }

    private static string WriteConfig(string dir, IReadOnlyList<Uri> relays)
    {
        var settings = new
        {
            SovereignTrajectories = new
            {
                DataDirectory = dir,
                Relays = relays.Select(r => r.ToString()).ToArray(),
                Quorum = relays.Count,
                Key = new { File = Path.Combine(dir, "agent.key") },
                Delivery = new { BaseRetryDelay = "00:00:00.200", MaxRetryDelay = "00:00:02", RateLimitCooldown = "00:00:00.500" },
                Intake = new
                {
                    Spool = new { QuietPeriod = "00:00:00.200", RescanInterval = "00:00:00.250" },
                    Live = new { Enabled = false },
                    Http = new { Enabled = false },
                    Feedback = new { Enabled = false },
                },
            },
            Logging = new { LogLevel = new { Default = "Warning" } },
        };
        string path = Path.Combine(dir, "appsettings.json");
        File.WriteAllText(path, JsonSerializer.Serialize(settings));
        return path;
    }

    /// <summary>
    /// The worker is another process, so the signal is its outbox (read the way <c>sovtraj status</c>
    /// reads it) and its inbox: settled when every run's file left the inbox, every session is
    /// published and nothing is left to deliver. Bounded by <paramref name="ct"/>; fails fast if the worker dies.
    /// </summary>
    private static async Task WaitUntilSettledAsync(string outbox, string inbox, int runs, Process worker, CancellationToken ct)
    {
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        while (await tick.WaitForNextTickAsync(ct))
        {
            Assert.False(worker.HasExited, $"the worker exited (code {(worker.HasExited ? worker.ExitCode : 0)}) before the outbox drained");
            if (Directory.GetFiles(inbox).Length > 0 || !File.Exists(outbox))
            {
                continue;
            }

            using OutboxStore store = OutboxStore.Open(outbox);
            OutboxStatus s = await store.GetStatusAsync(ct);
            if (s.Depth == 0 && s.SessionsPending == 0 && s.SessionsPublished >= runs)
            {
                return;
            }
        }
    }

    private static async Task<long> DepthAsync(string outbox, CancellationToken ct)
    {
        if (!File.Exists(outbox))
        {
            return 0;
        }

        using OutboxStore store = OutboxStore.Open(outbox);
        return await store.GetDepthAsync(ct);
    }

    private static IReadOnlyList<NostrEvent> ReadArchive(string dir, string sid)
    {
        string events = Path.Combine(dir, "sessions", sid, "events.jsonl");
        Assert.True(File.Exists(events), $"no archive for {sid}");
        return File.ReadLines(events).Where(l => l.Length > 0).Select(l => EventParser.Parse(l)).ToArray();
    }

    private static void DrainOutput(Process p)
    {
        // Unread pipes would block the worker once full; the content is not part of the assertion.
        _ = p.StandardOutput.ReadToEndAsync();
        _ = p.StandardError.ReadToEndAsync();
    }
}
