namespace SovereignTrajectories.Trajectories.Model;

/// <summary>An agent (assistant) message, with the model and usage of the call that produced it.</summary>
public sealed record AgentStep(string Content) : Step
{
    public string? Model { get; init; }

    public Usage? Usage { get; init; }

    public override string TypeName => StepTypes.Agent;
}
