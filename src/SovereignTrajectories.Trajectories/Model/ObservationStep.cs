namespace SovereignTrajectories.Trajectories.Model;

/// <summary>The observed result of a tool call (live runs; also the legacy <c>ToolResult</c> form).</summary>
public sealed record ObservationStep(string CallId, string Status) : Step
{
    public string? Content { get; init; }

    public override string TypeName => StepTypes.Observation;
}
