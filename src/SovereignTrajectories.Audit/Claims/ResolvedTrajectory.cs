namespace SovereignTrajectories.Audit.Claims;

/// <summary>
/// What the verifier established about a trajectory from its events, for the claim checks to compare
/// claims against. Every value here must be recomputed from verified events, never copied from a
/// claim. Hashes and ids are lower-case hex.
/// </summary>
/// <param name="SessionCoordinate"><c>39230:&lt;agent pubkey&gt;:&lt;sid&gt;</c>.</param>
/// <param name="FinalSessionEventId">Id of the newest (final) session version.</param>
/// <param name="TrajectoryHash">Recomputed profile §5.1 hash; null when there are no steps.</param>
/// <param name="MerkleRoot">Recomputed profile §5.2 root over the step ids; null when there are no steps.</param>
/// <param name="StepCount">Number of steps (Merkle leaves).</param>
/// <param name="VerificationPassed">Verdict derived from the verification steps; null when there are none.</param>
/// <param name="VerificationDigest">Recomputed profile §5.3 digest; null when there are no verification steps.</param>
/// <param name="EndedAt">The final version's <c>ended_at</c>; null when the session has not ended.</param>
/// <param name="SessionVersionIds">Every session version id seen (the final one included); a claim pinning an older one gets a warning.</param>
public sealed record ResolvedTrajectory(
    string SessionCoordinate,
    string FinalSessionEventId,
    string? TrajectoryHash,
    string? MerkleRoot,
    long StepCount,
    bool? VerificationPassed,
    string? VerificationDigest,
    long? EndedAt,
    IReadOnlyCollection<string>? SessionVersionIds = null)
{
    /// <summary>The agent's pubkey: the coordinate's middle part.</summary>
    public string AgentPubKey => SessionCoordinate.Split(':', 3) is [_, string pk, _] ? pk : string.Empty;

    /// <summary>The sid: the coordinate's last part.</summary>
    public string SessionId => SessionCoordinate.Split(':', 3) is [_, _, string sid] ? sid : string.Empty;
}
