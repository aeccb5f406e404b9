using SovereignTrajectories.Nostr.Events;

namespace SovereignTrajectories.Audit.Claims;

/// <summary>
/// A NIP-90 job result (kinds 6000-6999) as a trajectory claim: the request it answers (<c>e</c>, and
/// the stringified request in <c>request</c>), the customer (<c>p</c>), the price (<c>amount</c>), and
/// the profile's <c>trajectory</c>/<c>trajectory_hash</c> (and optional <c>a</c>/<c>merkle_root</c>) tags.
/// </summary>
public sealed record JobResult(
    NostrEvent Event,
    string? RequestEventId,
    string? CustomerPubKey,
    string? RequestJson,
    long? AmountMsat,
    string? Bolt11,
    string? SessionCoordinate,
    string? TrajectoryEventId,
    string? TrajectoryHash,
    string? MerkleRoot,
    long? MerkleSize)
{
    public const int MinKind = 6000;
    public const int MaxKind = 6999;
}
