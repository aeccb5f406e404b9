namespace SovereignTrajectories.Trajectories.Model;

/// <summary>The kind of user feedback a reward records (profile §3, <c>signal</c>).</summary>
public enum RewardSignal
{
    Accept,
    Reject,
    Edit,
    Regenerate,
    Abandon,
    Score,
}
