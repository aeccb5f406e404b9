using SovereignTrajectories.Audit.Checks;

namespace SovereignTrajectories.Audit.Tests.Checks;

public sealed class CheckListTests
{
    [Fact]
    public void Only_a_failed_required_check_blocks_the_audit()
    {
        var list = new CheckList();
        list.Pass("a.pass", "ok", "id1");
        list.Warn("a.warn", "skew");
        list.Note("a.note", "legacy form");
        list.Unverifiable("a.network", "needs the network: settlement");
        list.Add(new CheckResult("a.optional", CheckStatus.Fail, "optional failed", [], Required: false));

        Assert.True(list.AllRequiredPass);
        Assert.False(list.HasFailures);

        list.Fail("a.fail", "broken", "id2");

        Assert.False(list.AllRequiredPass);
        Assert.True(list.HasFailures);
    }

    [Fact]
    public void Expect_records_pass_or_fail_with_the_matching_reason_and_evidence()
    {
        var list = new CheckList();

        CheckResult pass = list.Expect(true, "x.check", "held", "broke", "e1");
        CheckResult fail = list.Expect(false, "x.check", "held", "broke", "e2");

        Assert.Equal(new[] { CheckStatus.Pass, CheckStatus.Fail }, list.Named("x.check").Select(r => r.Status));
        Assert.Equal("held", pass.Reason);
        Assert.Equal("broke", fail.Reason);
        Assert.Equal(["e2"], fail.EvidenceIds);
        Assert.Same(pass, list.Find("x.check"));
    }

    [Fact]
    public void Warnings_and_notes_are_never_required()
    {
        Assert.False(CheckResult.Warn("w", "r").Required);
        Assert.False(CheckResult.Note("n", "r").Required);
        Assert.True(CheckResult.Fail("f", "r").IsBlocking);
    }

    [Fact]
    public void Formats_a_result_as_one_readable_line()
    {
        Assert.Equal("claim.x: fail - wrong [a, b]", CheckResult.Fail("claim.x", "wrong", "a", "b").ToString());
    }
}
