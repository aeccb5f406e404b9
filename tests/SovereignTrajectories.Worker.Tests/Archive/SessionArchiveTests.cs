using System.Security.Cryptography;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Trajectories.Model;
using SovereignTrajectories.Trajectories.Replay;
using SovereignTrajectories.Worker.Archive;
using SovereignTrajectories.Worker.Pipeline;
using SovereignTrajectories.Worker.Tests.EndToEnd;
using Microsoft.Extensions.DependencyInjection;

namespace SovereignTrajectories.Worker.Tests.Archive;

public sealed class SessionArchiveTests
{
    private static readonly Uri[] NoRelay = [new("ws://127.0.0.1:9")];

    [Fact]
    public async Task The_archive_holds_every_signed_event_full_outputs_statements_the_redaction_report_and_a_replay()
    {
        await using TestWorker w = await TestWorker.CreateAsync(NoRelay, start: false);
        string longOutput = string.Concat(Enumerable.Repeat("line of build output\n", 8000));
        Trajectory baseRun = TestRuns.Run("archived", 8);
        Trajectory run = baseRun.Append(
        [
            new ToolStep("Bash", "big", "{\"command\":\"make\"}", longOutput, true),
            new UserStep("my key is sk-ant-api03-" + new string('A', 90) + " do not leak"),
        ]);

        CommitResult r = await w.Publisher.CommitAsync(run, null, CancellationToken.None);

        string dir = w.Services.GetRequiredService<SessionArchive>().DirectoryOf("archived")!;
        IReadOnlyList<NostrEvent> stored = await w.Store.GetEventsAsync(r.Coordinate, CancellationToken.None);
        string[] lines = File.ReadAllLines(Path.Combine(dir, "events.jsonl"));
        Assert.Equal(stored.Select(e => e.Id), lines.Select(l => EventParser.Parse(l).Id));

        Assert.Equal(longOutput, File.ReadAllText(Path.Combine(dir, "outputs", "000009.txt")));

        string[] statements = Directory.GetFiles(Path.Combine(dir, "statements"));
        Assert.Equal(2, statements.Length);
        string[] stepHashes = stored.Where(e => e.Tags.FindValue("action_type") == "verification").Select(e => e.Tags.FindValue("verification")!).ToArray();
        Assert.Equal(stepHashes.Order(StringComparer.Ordinal), statements.Select(p => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(p)))).Order(StringComparer.Ordinal));

        string report = File.ReadAllText(Path.Combine(dir, "redaction-report.jsonl"));
        Assert.Contains("step 10/content", report, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-ant-api03", report, StringComparison.Ordinal);

        Trajectory replay = ReplayReader.Read(File.ReadAllText(Path.Combine(dir, "REPLAY.jsonl")));
        Assert.Equal(10, replay.Steps.Count);
        Assert.Equal(longOutput, Assert.IsType<ToolStep>(replay.Steps[8]).Output);
        Assert.DoesNotContain("sk-ant-api03", File.ReadAllText(Path.Combine(dir, "REPLAY.jsonl")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_archive_lost_after_the_commit_is_rewritten_when_the_run_is_committed_again()
    {
        await using TestWorker w = await TestWorker.CreateAsync(NoRelay, start: false);
        Trajectory run = TestRuns.Run("repaired", 6);
        CommitResult first = await w.Publisher.CommitAsync(run, null, CancellationToken.None);
        string dir = w.Services.GetRequiredService<SessionArchive>().DirectoryOf("repaired")!;
        Directory.Delete(dir, recursive: true);

        CommitResult again = await w.Publisher.CommitAsync(run, null, CancellationToken.None);

        Assert.Equal(CommitKind.Unchanged, again.Kind);
        Assert.Equal(
            (await w.Store.GetEventsAsync(first.Coordinate, CancellationToken.None)).Select(e => e.Id),
            File.ReadAllLines(Path.Combine(dir, "events.jsonl")).Select(l => EventParser.Parse(l).Id));
        Assert.True(File.Exists(Path.Combine(dir, "REPLAY.jsonl")));
    }

    [Fact]
    public void A_session_id_of_dots_stays_inside_the_archive_root()
    {
        var archive = new SessionArchive(
            Microsoft.Extensions.Options.Options.Create(new SovereignTrajectories.Worker.Configuration.SovereignTrajectoriesOptions { DataDirectory = "/tmp/x" }),
            TimeProvider.System);

        string dir = archive.DirectoryOf("..")!;

        Assert.StartsWith(archive.Root! + Path.DirectorySeparatorChar, Path.GetFullPath(dir), StringComparison.Ordinal);
    }
}
