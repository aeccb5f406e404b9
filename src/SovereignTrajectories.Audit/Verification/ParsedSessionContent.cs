using SovereignTrajectories.Trajectories.Mapping;
using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Audit.Verification;

/// <summary>
/// What a session version's content states (profile §2), read strictly. These are the agent's claims:
/// the verifier recomputes every one of them from the steps.
/// </summary>
public sealed record ParsedSessionContent(
    string SessionId,
    long StartedAt,
    long? EndedAt,
    string Model,
    long TotalEvents,
    string? TrajectoryHash,
    string? MerkleRoot,
    SessionVerification? Verification,
    string? RewardSignal,
    double? RewardValue,
    Usage? Usage);
