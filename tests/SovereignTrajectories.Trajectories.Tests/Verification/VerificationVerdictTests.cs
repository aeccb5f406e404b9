using SovereignTrajectories.Trajectories.Verification;

namespace SovereignTrajectories.Trajectories.Tests.Verification;

public sealed class VerificationVerdictTests
{
    [Fact]
    public void Last_run_of_each_kind_decides()
    {
        VerificationVerdict verdict = VerificationVerdict.Compute(
        [
            new("test", false),
            new("build", true),
            new("test", true),
        ]);
        Assert.True(verdict.Passed);
        Assert.Equal(3, verdict.Runs);
        Assert.Equal(1, verdict.FailedRuns);
        Assert.True(verdict.LastByKind["test"]);
    }

    [Fact]
    public void A_kind_whose_last_run_failed_fails_the_run()
    {
        VerificationVerdict verdict = VerificationVerdict.Compute(
        [
            new("test", true),
            new("lint", true),
            new("lint", false),
        ]);
        Assert.False(verdict.Passed);
        Assert.Equal(1, verdict.FailedRuns);
        Assert.False(verdict.LastByKind["lint"]);
    }

    [Fact]
    public void No_runs_is_not_passed()
    {
        VerificationVerdict verdict = VerificationVerdict.Compute([]);
        Assert.False(verdict.Passed);
        Assert.Equal(0, verdict.Runs);
        Assert.Empty(verdict.LastByKind);
    }
}
