namespace SovereignTrajectories.Trajectories.Model;

/// <summary>Whether the user gave the feedback on purpose (a click) or by what they did (an edit, leaving).</summary>
public enum RewardSource
{
    Explicit,
    Implicit,
}
