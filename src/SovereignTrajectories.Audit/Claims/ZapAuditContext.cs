namespace SovereignTrajectories.Audit.Claims;

/// <summary>
/// What a zap receipt is audited against.
/// </summary>
/// <param name="Targets">Event ids and coordinates the zap may point at (the claim, the receipt, the session); empty skips the target check.</param>
/// <param name="ClaimedAmountMsat">The amount the paid claim states (39211 or NIP-90 <c>amount</c>), if any.</param>
/// <param name="SessionEndedAt">The audited session's <c>ended_at</c>, if it has ended.</param>
/// <param name="LnurlNostrPubKey">The recipient LNURL server's <c>nostrPubkey</c> from a snapshot in the audit bundle; null when none was captured (then the signer check is unverifiable).</param>
public sealed record ZapAuditContext(
    IReadOnlyCollection<string> Targets,
    long? ClaimedAmountMsat = null,
    long? SessionEndedAt = null,
    string? LnurlNostrPubKey = null);
