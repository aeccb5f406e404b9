using SovereignTrajectories.Audit.Checks;
using SovereignTrajectories.Audit.Verification;

namespace SovereignTrajectories.Audit.Tests.Tamper;

/// <summary>Assertions on audit reports that print the whole check table when they fail.</summary>
internal static class AuditAssert
{
    public static IReadOnlyList<string> Failures(AuditReport report) =>
        [.. report.Checks.Where(c => c.IsBlocking).Select(c => c.Name).Distinct()];

    public static void Passes(AuditReport report)
    {
        Assert.True(report.Verdict == AuditVerdict.Pass, $"expected PASS, got {report.VerdictLine}\n{Table(report)}");
        Assert.DoesNotContain(report.Checks, c => c.Status == CheckStatus.Warn);
    }

    /// <summary>The audit fails, and <paramref name="expected"/> is the first (root-cause) failing check.</summary>
    public static void FailsFirstOn(AuditReport report, string expected)
    {
        IReadOnlyList<string> failures = Failures(report);
        Assert.True(report.Verdict == AuditVerdict.Fail, $"expected FAIL on {expected}, got {report.VerdictLine}\n{Table(report)}");
        Assert.True(failures.Count > 0 && failures[0] == expected, $"expected first failure {expected}, got [{string.Join(", ", failures)}]\n{Table(report)}");
    }

    /// <summary>The audit fails on exactly the checks named, nothing else.</summary>
    public static void FailsExactlyOn(AuditReport report, params string[] expected)
    {
        IReadOnlyList<string> failures = Failures(report);
        Assert.True(
            failures.Order(StringComparer.Ordinal).SequenceEqual(expected.Order(StringComparer.Ordinal)),
            $"expected failures [{string.Join(", ", expected)}], got [{string.Join(", ", failures)}]\n{Table(report)}");
    }

    public static void Status(AuditReport report, string name, CheckStatus status)
    {
        CheckResult? r = report.Checks.Find(name);
        Assert.True(r is not null && r.Status == status, $"expected {name} {status}, got {r?.Status.ToString() ?? "no such check"}\n{Table(report)}");
    }

    public static string Table(AuditReport report) => string.Join("\n", report.Checks.Select(c => "  " + c));
}
