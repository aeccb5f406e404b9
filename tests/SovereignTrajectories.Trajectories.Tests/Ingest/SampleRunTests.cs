using SovereignTrajectories.Trajectories.Ingest;
using SovereignTrajectories.Trajectories.Mapping;
using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Trajectories.Tests.Ingest;

/// <summary>Every sample is the same story: a failing test run, a fix, a passing run, and a user's accept.</summary>
public sealed class SampleRunTests
{
    public static TheoryData<TrajectoryFormat> Formats => [TrajectoryFormat.Claude, TrajectoryFormat.Codex, TrajectoryFormat.Atif, TrajectoryFormat.Otlp, TrajectoryFormat.Replay];

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Sample_is_detected_as_its_own_format(TrajectoryFormat format)
    {
        IngestResult result = await new TrajectoryIngest().ReadFileAsync(IngestSamples.PathOf(format));
        Assert.Equal(format, result.Format);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Sample_yields_failing_then_passing_test_verification(TrajectoryFormat format)
    {
        Trajectory t = (await new TrajectoryIngest().ReadFileAsync(IngestSamples.PathOf(format), format)).Single();
        VerificationStep[] runs = t.Verifications.Where(v => v.Kind == VerificationKind.Test).ToArray();
        Assert.Equal(2, runs.Length);
        Assert.False(runs[0].Succeeded);
        Assert.Equal((3, 1), (runs[0].Passed, runs[0].Failed));
        Assert.NotEqual(0, runs[0].ExitCode);
        Assert.True(runs[1].Succeeded);
        Assert.Equal((4, 0), (runs[1].Passed, runs[1].Failed));
        // the statement is attached when publishing, after redaction; it must be buildable from what ingest read
        Assert.All(runs, r => Assert.NotNull(VerificationStatements.Attach(r, t.Session) is VerificationStep v ? v.StatementSha256Hex : null));
        Assert.All(runs, r => Assert.True(r.Output is not null || r.OutputSha256 is not null));
        Assert.Contains("pytest", runs[0].Command, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Sample_places_each_verification_right_after_its_tool_call(TrajectoryFormat format)
    {
        Trajectory t = (await new TrajectoryIngest().ReadFileAsync(IngestSamples.PathOf(format), format)).Single();
        for (int i = 0; i < t.Steps.Count; i++)
        {
            if (t.Steps[i] is VerificationStep { Kind: VerificationKind.Test })
            {
                ToolStep tool = Assert.IsType<ToolStep>(t.Steps[i - 1]);
                Assert.Contains("pytest", tool.InputJson, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Sample_is_a_complete_run_with_thinking_tools_usage_and_user_turns(TrajectoryFormat format)
    {
        Trajectory t = (await new TrajectoryIngest().ReadFileAsync(IngestSamples.PathOf(format), format)).Single();
        Assert.True(t.Session.IsComplete);
        Assert.NotEqual("unknown", t.Session.Model);
        Assert.Contains(t.Steps, s => s is ThinkingStep);
        Assert.True(t.Steps.OfType<ToolStep>().Count() >= 4);
        Assert.All(t.Steps.OfType<ToolStep>(), s => Assert.False(string.IsNullOrEmpty(s.CallId)));
        Assert.NotNull(t.TotalUsage);
        Assert.True(t.TotalUsage!.TokensIn > 0);
        Assert.Contains(t.Steps, s => s is AgentStep a && a.Content.Contains("Fixed", StringComparison.Ordinal));
        Assert.True(t.Session.StartedAt <= t.Session.EndedAt);
        Assert.DoesNotContain(t.Steps, s => s is ToolStartStep);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Sample_ends_with_the_users_accept(TrajectoryFormat format)
    {
        Trajectory t = (await new TrajectoryIngest().ReadFileAsync(IngestSamples.PathOf(format), format)).Single();
        bool acceptedByText = t.Steps.OfType<UserStep>().Any(u => u.Content.Contains("accepting", StringComparison.Ordinal));
        bool acceptedByReward = t.LatestReward is { Signal: RewardSignal.Accept, Value: 1 };
        Assert.True(acceptedByText || acceptedByReward);
    }
}
