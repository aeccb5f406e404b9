namespace SovereignTrajectories.Audit.Claims;

/// <summary>
/// An OpenAgents local receipt (<c>RECEIPT.json</c>, schema <c>openagents.receipt.v1</c>): the session
/// it covers, its trajectory hash (normalised: any <c>sha256:</c> prefix dropped, lower case), the
/// verification commands run and the payments recorded. <see cref="UsedLegacyHashPrefix"/> says the
/// file wrote the hash with the <c>sha256:</c> prefix, which the audit reports as a note.
/// </summary>
public sealed record OpenAgentsReceipt(
    string Source,
    string Schema,
    string SessionId,
    string TrajectoryHash,
    bool UsedLegacyHashPrefix,
    string? PolicyBundleId,
    string? CreatedAt,
    IReadOnlyList<OpenAgentsReceiptVerification> Verification,
    IReadOnlyList<OpenAgentsReceiptPayment> Payments)
{
    public const string SchemaV1 = "openagents.receipt.v1";

    /// <summary>The verdict the file implies: every command exited 0; null when it lists none.</summary>
    public bool? VerificationPassed => Verification.Count == 0 ? null : Verification.All(v => v.ExitCode == 0);
}
