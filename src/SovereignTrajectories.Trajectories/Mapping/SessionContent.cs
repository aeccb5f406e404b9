using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Trajectories.Mapping;

/// <summary>The session event's <c>content</c> object (profile §2).</summary>
public sealed record SessionContent(string SessionId, long StartedAt, string Model, int TotalEvents)
{
    public long? EndedAt { get; init; }

    public string? TrajectoryHash { get; init; }

    public string? MerkleRoot { get; init; }

    public SessionVerification? Verification { get; init; }

    public Reward? Reward { get; init; }

    public Usage? Usage { get; init; }
}
