using SovereignTrajectories.Nostr.Events;

namespace SovereignTrajectories.Audit.Claims;

/// <summary>
/// A NIP-57 zap request (kind 9734), as embedded in a zap receipt's <c>description</c>. Values are
/// taken from the first tag of each name; <see cref="ShapeProblems"/> lists every NIP-57 shape rule it
/// breaks (empty when none), so the auditor can report them instead of stopping at the first.
/// </summary>
public sealed record ZapRequest(
    NostrEvent Event,
    string? RecipientPubKey,
    string? EventId,
    string? Coordinate,
    IReadOnlyList<string> Relays,
    long? AmountMsat,
    string? Lnurl,
    string? SenderPubKeyTag,
    IReadOnlyList<string> ShapeProblems)
{
    public const int Kind = 9734;
}
