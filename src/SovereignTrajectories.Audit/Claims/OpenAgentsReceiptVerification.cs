namespace SovereignTrajectories.Audit.Claims;

/// <summary>One <c>verification[]</c> entry of a RECEIPT.json: a command and how it exited.</summary>
public sealed record OpenAgentsReceiptVerification(string Command, long ExitCode, long? DurationMs);
