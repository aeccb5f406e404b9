using SovereignTrajectories.Audit.Checks;
using SovereignTrajectories.Audit.Fetching;

namespace SovereignTrajectories.Audit.Verification;

/// <summary>
/// The result of one audit: the verdict, every check in report order (trajectory checks, then claim
/// checks), the run as rebuilt from the events (<see cref="Trajectory"/>; null when no session was
/// found), what each source contributed, and timing. docs/audit-report.md documents its JSON form.
/// </summary>
public sealed record AuditReport(
    string Target,
    AuditTargetKind TargetKind,
    string? Coordinate,
    string Source,
    AuditVerdict Verdict,
    string? CouldNotRunReason,
    CheckList Checks,
    TrajectoryVerification? Trajectory,
    IReadOnlyList<string> ClaimEventIds,
    IReadOnlyList<SourceReport> Sources,
    DateTimeOffset AuditedAt,
    long EventsFetched,
    TimeSpan Elapsed)
{
    /// <summary>
    /// Of <see cref="Elapsed"/>, the time spent waiting on the event source: fetching from relays or reading
    /// the archive, with the signature checks that run while events arrive. The rest is the checks themselves.
    /// </summary>
    public TimeSpan FetchElapsed { get; init; }

    /// <summary>The CLI exit code: 0 pass, 1 fail, 2 could not run.</summary>
    public int ExitCode => (int)Verdict;

    /// <summary>One line a person can read.</summary>
    public string VerdictLine => Verdict switch
    {
        AuditVerdict.Pass => $"PASS: every required check passed ({Checks.Count(c => c.Status == CheckStatus.Pass)} passed, {Checks.Count(c => c.Status == CheckStatus.Warn)} warnings, {Checks.Count(c => c.Status == CheckStatus.Unverifiable)} unverifiable)",
        AuditVerdict.Fail => $"FAIL: {Checks.Count(c => c.IsBlocking)} required check(s) failed: {string.Join(", ", Checks.Where(c => c.IsBlocking).Select(c => c.Name).Distinct())}",
        _ => $"COULD NOT RUN: {CouldNotRunReason}",
    };
}
