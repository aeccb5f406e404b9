using System.Diagnostics;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Testing;
using SovereignTrajectories.Trajectories.Mapping;
using SovereignTrajectories.Trajectories.Model;
using SovereignTrajectories.Trajectories.Replay;
using SovereignTrajectories.Worker.Outbox;
using Xunit.Abstractions;

namespace SovereignTrajectories.Worker.Tests.EndToEnd;

/// <summary>
/// The real <c>sovtraj publish</c> process is killed with SIGKILL at random moments while it
/// converts and delivers runs, then run again over the same outbox: in the end every run is
/// complete on every relay, no seq has two events, and the outbox is empty. Smaller than the
/// issue's 50 runs x 10 restarts (12 runs x 5 kills) to fit CI time on two cores.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    private const int Runs = 12;
    private const int Kills = 5;

    [Fact]
    public async Task Killed_publishes_resume_and_every_run_ends_complete_on_every_relay_with_no_conflicting_seq()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        await using LocalRelay a = await LocalRelay.StartAsync(ct: cts.Token);
        await using LocalRelay b = await LocalRelay.StartAsync(ct: cts.Token);
        await using LocalRelay c = await LocalRelay.StartAsync(ct: cts.Token);
        string dir = TestWorker.NewDataDirectory();
        var runs = new List<Trajectory>();
        var files = new List<string>();
        for (int i = 0; i < Runs; i++)
        {
            Trajectory run = TestRuns.Run($"crash-{i:D2}", 6 + (i % 5), start: TestRuns.Start.AddHours(i));
            string file = Path.Combine(dir, $"run-{i:D2}.REPLAY.jsonl");
            string jsonl = ReplayWriter.ToJsonl(run);
            await File.WriteAllTextAsync(file, jsonl, cts.Token);
            files.Add(file);

            // What the CLI will read from the file is the model to compare with.
            runs.Add(ReplayReader.Read(jsonl, file));
        }

        string outbox = Path.Combine(dir, "outbox", "outbox.db");
        string[] args =
        [
            "publish", "--key", Path.Combine(dir, "agent.key"),
            "--relay", a.Url.ToString(), "--relay", b.Url.ToString(), "--relay", c.Url.ToString(),
            "--quorum", "3", "--outbox", outbox, "--timeout", "120", .. files,
        ];
        int seed = Environment.TickCount;
        var random = new Random(seed);
        output.WriteLine($"kill schedule seed {seed}");
        for (int k = 0; k < Kills; k++)
        {
            using Process p = SovtrajCli.Start(args, dir);
            // Fault injection, not waiting for a result: the kill lands at a random point of start-up, ingest, commit or delivery.
            int killAfterMs = random.Next(300, 3000);
            Task exited = p.WaitForExitAsync(cts.Token);
            await Task.WhenAny(exited, Task.Delay(killAfterMs, cts.Token));
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
            }

            await p.WaitForExitAsync(cts.Token);
            output.WriteLine($"run {k}: killed after {killAfterMs} ms (exit {p.ExitCode})");
        }

        using (Process final = SovtrajCli.Start(args, dir))
        {
            Task<string> stdout = final.StandardOutput.ReadToEndAsync(cts.Token);
            Task<string> stderr = final.StandardError.ReadToEndAsync(cts.Token);
            await final.WaitForExitAsync(cts.Token);
            string err = await stderr;
            Assert.True(final.ExitCode == 0, $"final publish exit {final.ExitCode}: {err}");
            Assert.Equal(Runs, (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.StartsWith("naddr1", StringComparison.Ordinal)));
        }

        using (OutboxStore store = OutboxStore.Open(outbox))
        {
            Assert.Equal(0, await store.GetDepthAsync(cts.Token));
        }

        string author;
        using (var key = TestRuns.Key())
        {
            author = key.PublicKey.Hex;
        }

        var pipeline = new TrajectoryPublisherPipeline();
        foreach (Uri relay in new[] { a.Url, b.Url, c.Url })
        {
            IReadOnlyList<NostrEvent> held = await RelayReadBack.QueryAsync(relay, author, cts.Token);
            foreach (Trajectory run in runs)
            {
                NostrEvent[] steps = held.Where(e => e.Kind == TrajectoryKinds.Step && e.Tags.FindValue("session") == run.Session.Sid).ToArray();
                Assert.Equal(run.Steps.Count, steps.Length);
                Assert.Equal(steps.Length, steps.Select(e => e.Tags.FindValue("seq")).Distinct(StringComparer.Ordinal).Count());
                TrajectoryReadResult read = TrajectoryEventReader.Read(held.Where(e => e.Kind != 39211), run.Session.Sid);
                Trajectory expected = TestRuns.AsPublished(pipeline.Prepare(run).Prepared);
                Assert.Equal(expected.Steps, read.Trajectory.Steps);
                Assert.NotNull(read.Trajectory.Session.EndedAt);
            }
        }
    }
}
