namespace SovereignTrajectories.Trajectories.Model;

/// <summary>A tool call that has started (live runs; also the legacy <c>ToolUse</c> form).</summary>
public sealed record ToolStartStep(string Name, string CallId) : Step
{
    public string? Command { get; init; }

    /// <summary>The call's arguments as compact JSON text, when known.</summary>
    public string? InputJson { get; init; }

    public override string TypeName => StepTypes.ToolStart;
}
