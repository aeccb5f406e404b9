namespace SovereignTrajectories.Trajectories.Model;

/// <summary>The step <c>type</c> values of profile §3.</summary>
public static class StepTypes
{
    public const string User = "user";
    public const string Agent = "agent";
    public const string Thinking = "thinking";
    public const string Tool = "tool";
    public const string ToolStart = "tool_start";
    public const string ToolProgress = "tool_progress";
    public const string Observation = "observation";
    public const string Subagent = "subagent";
    public const string Delegation = "delegation";
    public const string Question = "question";
    public const string Todos = "todos";
    public const string Phase = "phase";
    public const string SessionEnd = "session_end";
    public const string Verification = "verification";
    public const string Reward = "reward";
}
