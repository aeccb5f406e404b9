namespace SovereignTrajectories.Trajectories.Model;

/// <summary>The agent software that produced the run (e.g. <c>claude-code</c> <c>2.0.14</c>).</summary>
public sealed record AgentInfo(string Name, string? Version = null);
