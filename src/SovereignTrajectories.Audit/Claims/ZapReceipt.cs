using SovereignTrajectories.Nostr.Events;

namespace SovereignTrajectories.Audit.Claims;

/// <summary>
/// A NIP-57 zap receipt (kind 9735): signed by the recipient's LNURL server, carrying the paid
/// invoice, the zap request JSON (<see cref="Description"/>), optionally the preimage, and the
/// <c>p</c>/<c>P</c>/<c>e</c>/<c>a</c> tags copied from the request. NIP-57 says outright it is not a
/// proof of payment.
/// </summary>
public sealed record ZapReceipt(
    NostrEvent Event,
    string Bolt11,
    string Description,
    string? Preimage,
    string? RecipientPubKey,
    string? SenderPubKey,
    string? EventId,
    string? Coordinate)
{
    public const int Kind = 9735;
}
