namespace SovereignTrajectories.Audit.Checks;

/// <summary>
/// One named check's outcome. <paramref name="Name"/> is a stable dotted id (for example
/// <c>claim.invoice.amount_matches</c>) that reports and tests key on; <paramref name="Reason"/> is one
/// line a person can read; <paramref name="EvidenceIds"/> are the event ids (or other stable ids) that
/// prove the verdict. A check that is not <paramref name="Required"/> cannot make the audit fail.
/// </summary>
public sealed record CheckResult(
    string Name,
    CheckStatus Status,
    string Reason,
    IReadOnlyList<string> EvidenceIds,
    bool Required = true)
{
    /// <summary>True when this result makes the audit fail: a required check that failed.</summary>
    public bool IsBlocking => Required && Status == CheckStatus.Fail;

    public static CheckResult Pass(string name, string reason, params string[] evidenceIds) =>
        new(name, CheckStatus.Pass, reason, evidenceIds);

    public static CheckResult Fail(string name, string reason, params string[] evidenceIds) =>
        new(name, CheckStatus.Fail, reason, evidenceIds);

    public static CheckResult Warn(string name, string reason, params string[] evidenceIds) =>
        new(name, CheckStatus.Warn, reason, evidenceIds, Required: false);

    public static CheckResult Unverifiable(string name, string reason, params string[] evidenceIds) =>
        new(name, CheckStatus.Unverifiable, reason, evidenceIds);

    public static CheckResult Note(string name, string reason, params string[] evidenceIds) =>
        new(name, CheckStatus.Note, reason, evidenceIds, Required: false);

    public override string ToString() =>
        $"{Name}: {Status.ToString().ToLowerInvariant()} - {Reason}" + (EvidenceIds.Count > 0 ? $" [{string.Join(", ", EvidenceIds)}]" : string.Empty);
}
