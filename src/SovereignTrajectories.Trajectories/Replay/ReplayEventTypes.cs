namespace SovereignTrajectories.Trajectories.Replay;

/// <summary>The REPLAY.jsonl v1 event types (the <c>type</c> of each line).</summary>
public static class ReplayEventTypes
{
    public const string Header = "ReplayHeader";
    public const string SessionStart = "SessionStart";
    public const string PlanStart = "PlanStart";
    public const string ToolCall = "ToolCall";
    public const string ToolResult = "ToolResult";
    public const string StepComplete = "StepComplete";
    public const string Verification = "Verification";
    public const string Payment = "Payment";
    public const string RuntimeEvent = "RuntimeEvent";
    public const string SessionEnd = "SessionEnd";

    /// <summary>The only version this code reads and writes.</summary>
    public const int Version = 1;

    /// <summary>The <c>producer</c> written in the header.</summary>
    public const string Producer = "sovereign-trajectories";
}
