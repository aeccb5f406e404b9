namespace SovereignTrajectories.Trajectories.Model;

/// <summary>Progress of a running tool call (live runs).</summary>
public sealed record ToolProgressStep(string CallId, string Progress) : Step
{
    public override string TypeName => StepTypes.ToolProgress;
}
