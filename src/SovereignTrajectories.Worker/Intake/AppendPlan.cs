using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Worker.Intake;

/// <summary>Steps to append to a stored session, and its end when this append ends it.</summary>
public sealed record AppendPlan(IReadOnlyList<Step> Steps, DateTimeOffset? EndedAt);
