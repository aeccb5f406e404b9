namespace SovereignTrajectories.Audit.Claims;

/// <summary>
/// What a claim asserts about a trajectory, whatever its form (39211 receipt, NIP-90 result tags,
/// RECEIPT.json). Null means the claim does not state that value.
/// </summary>
/// <param name="EvidenceId">The claim's event id, or a file name for RECEIPT.json.</param>
/// <param name="RequiresSessionPin">True for Nostr claims, which must pin the session version by id; RECEIPT.json cannot.</param>
public sealed record TrajectoryClaim(
    string EvidenceId,
    string? SessionCoordinate,
    string? SessionEventId,
    string? TrajectoryHash,
    string? MerkleRoot,
    long? MerkleSize,
    bool? VerificationPassed,
    string? VerificationDigest,
    bool RequiresSessionPin = true);
