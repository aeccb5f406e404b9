namespace SovereignTrajectories.Trajectories.Model;

/// <summary>A human or operator message; it starts a new <see cref="Turn"/>.</summary>
public sealed record UserStep(string Content) : Step
{
    public override string TypeName => StepTypes.User;
}
