using SovereignTrajectories.Trajectories.Ingest;
using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Trajectories.Tests.Ingest;

public sealed class TrajectorySummaryTests
{
    private static VerificationStep Run(VerificationKind kind, int exit) => new("cmd", kind, exit);

    private static Trajectory With(params Step[] steps) =>
        Trajectory.Create(new SessionInfo("s", DateTimeOffset.UnixEpoch), [new UserStep("go"), .. steps]);

    [Fact]
    public void Verdict_is_the_last_run_of_each_kind()
    {
        TrajectorySummary fixedLater = TrajectorySummary.Of(With(Run(VerificationKind.Test, 1), Run(VerificationKind.Build, 0), Run(VerificationKind.Test, 0)));
        Assert.True(fixedLater.Verdict.Passed);
        Assert.Equal((3, 1), (fixedLater.Verdict.Runs, fixedLater.Verdict.FailedRuns));
        Assert.Equal(0, fixedLater.LastByKind[VerificationKind.Test].ExitCode);

        TrajectorySummary brokeLater = TrajectorySummary.Of(With(Run(VerificationKind.Test, 0), Run(VerificationKind.Build, 2)));
        Assert.False(brokeLater.Verdict.Passed);
    }

    [Fact]
    public void Counts_steps_by_type_and_tools_by_name()
    {
        TrajectorySummary s = TrajectorySummary.Of(With(
            new ToolStep("Bash", "1", "{}", "", true), new ToolStep("Bash", "2", "{}", "", true), new ToolStep("Read", "3", "{}", "", true)));
        Assert.Equal(2, s.ToolCalls["Bash"]);
        Assert.Equal(3, s.StepsByType["tool"]);
        Assert.Equal(1, s.Turns);
        Assert.Equal(0, s.Verdict.Runs);
        Assert.False(s.Verdict.Passed);
    }
}
