namespace SovereignTrajectories.Trajectories.Model;

/// <summary>A sub-agent spawned by the agent, with its query and result.</summary>
public sealed record SubagentStep(string Name) : Step
{
    public string? Query { get; init; }

    public string? Result { get; init; }

    public override string TypeName => StepTypes.Subagent;
}
