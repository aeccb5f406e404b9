namespace SovereignTrajectories.Trajectories.Model;

/// <summary>The outcome signal of a run: what the session content's <c>reward</c> carries.</summary>
public sealed record Reward(RewardSignal Signal, double Value);
