using System.CommandLine;

namespace SovereignTrajectories.Cli.Commands;

/// <summary>
/// <c>sovtraj audit CLAIM [--relay URL...] [--offline DIR] [--json] [--html FILE] [--out FILE]</c>: audits a
/// claim (a 39211 receipt, a NIP-90 result or a zap receipt by nevent/note/id, or a RECEIPT.json) against
/// the trajectory it names: every trajectory check, then every claim and payment check of profile §6.
/// Exit codes as <c>verify</c>: 0 pass, 1 a required check failed, 2 could not run.
/// </summary>
internal static class AuditCommand
{
    public static Command Create() => VerifyCommand.Build(
        "audit",
        "Audit a receipt, NIP-90 result, zap receipt or RECEIPT.json against the trajectory it claims.",
        "The claim: nevent1..., note1..., a 64-hex event id, or a RECEIPT.json path.",
        claimsOnly: true);
}
