namespace SovereignTrajectories.Trajectories.Model;

/// <summary>One entry of a task list (<c>status</c> is e.g. pending, in_progress, completed).</summary>
public sealed record TodoItem(string Content, string Status);
