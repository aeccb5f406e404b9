namespace SovereignTrajectories.Trajectories.Receipts;

/// <summary>
/// A tick result / receipt (kind 39211, profile §6): what the agent claims about a finished run. It
/// pins the final session version by event id (a coordinate alone can be replaced), and commits to
/// the run's <c>trajectory_hash</c>, Merkle root and verification digest so an auditor can compare them
/// with the events. Hashes and ids are lower-case hex.
/// </summary>
/// <param name="SessionId">The run's sid: the receipt's <c>d</c>.</param>
/// <param name="SessionCoordinate"><c>39230:&lt;agent pubkey&gt;:&lt;sid&gt;</c> (tag <c>a</c>).</param>
/// <param name="TrajectoryEventId">Id of the final 39230 version (tag <c>trajectory</c>).</param>
/// <param name="TrajectoryRelay">Relay hint for that event; null when none.</param>
/// <param name="TrajectoryHash">Profile §5.1 hash; null for an empty trajectory.</param>
/// <param name="MerkleRoot">Profile §5.2 root; null for an empty trajectory.</param>
/// <param name="MerkleSize">Number of leaves (steps) under <paramref name="MerkleRoot"/>.</param>
/// <param name="Status">How the run ended.</param>
/// <param name="VerificationPassed">The claimed verification verdict; null when the run had no verification.</param>
/// <param name="VerificationDigest">Profile §5.3 digest; set exactly when <paramref name="VerificationPassed"/> is.</param>
/// <param name="AmountMsat">What the agent claims for the work, in millisatoshi; null when nothing is claimed.</param>
/// <param name="Bolt11">Invoice for <paramref name="AmountMsat"/>, when one was issued.</param>
/// <param name="Summary">Usage and cost summary (the content).</param>
public sealed record TickReceipt(
    string SessionId,
    string SessionCoordinate,
    string TrajectoryEventId,
    string? TrajectoryRelay,
    string? TrajectoryHash,
    string? MerkleRoot,
    long MerkleSize,
    TickStatus Status,
    bool? VerificationPassed,
    string? VerificationDigest,
    long? AmountMsat,
    string? Bolt11,
    TickReceiptSummary Summary)
{
    /// <summary>The receipt's event kind.</summary>
    public const int Kind = 39211;
}
