using SovereignTrajectories.Audit.Replay;
using SovereignTrajectories.Audit.Tests.Tamper;
using SovereignTrajectories.Audit.Verification;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Trajectories.Mapping;
using SovereignTrajectories.Trajectories.Model;
using SovereignTrajectories.Trajectories.Replay;

namespace SovereignTrajectories.Audit.Tests.Replay;

public sealed class ReplayTimelineTests
{
    [Fact]
    public async Task Replay_rebuilds_turns_tools_verification_runs_reward_and_usage_from_events_alone()
    {
        using SecretKey key = SecretKey.Generate();
        Trajectory original = SampleRun.Create("run-replay");
        MappedTrajectory run = SampleRun.Publish(key, "run-replay").Mapped;
        using var archive = new TestArchive(run.Events);
        AuditReport report = await archive.AuditAsync(key.PublicKey.Hex, "run-replay");
        ReplayTimeline t = ReplayTimeline.From(report.Trajectory!.Read!);

        Assert.Equal(original.Steps.Count, t.Entries.Count);
        Assert.Equal(original.Turns.Count, t.Turns);
        Assert.Equal(2, t.ToolCalls);
        Assert.Equal(2, t.VerificationRuns);
        Assert.Equal(1, t.FailedVerificationRuns);
        Assert.Equal(original.LatestReward, t.Reward);
        Assert.Equal(original.TotalUsage, t.Usage);
        Assert.Equal(run.StepEvents.Select(e => e.Id), t.Entries.Select(e => e.EventId));
        Assert.Equal([false, true], t.Entries.Where(e => e.Type == "verification").Select(e => e.Succeeded!.Value));
    }

    [Fact]
    public async Task Replay_exports_replay_jsonl_that_reads_back()
    {
        using SecretKey key = SecretKey.Generate();
        MappedTrajectory run = SampleRun.Publish(key, "run-replay-2", unicode: true).Mapped;
        using var archive = new TestArchive(run.Events);
        AuditReport report = await archive.AuditAsync(key.PublicKey.Hex, "run-replay-2");
        string jsonl = ReplayWriter.ToJsonl(report.Trajectory!.Read!.Trajectory);
        Assert.StartsWith("{", jsonl, StringComparison.Ordinal);
        Assert.Contains("\"ReplayHeader\"", jsonl, StringComparison.Ordinal);
        Assert.Contains("\"Verification\"", jsonl, StringComparison.Ordinal);
    }
}
