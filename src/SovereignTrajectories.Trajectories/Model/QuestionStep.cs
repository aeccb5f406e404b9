namespace SovereignTrajectories.Trajectories.Model;

/// <summary>The agent asks the operator something, optionally offering choices.</summary>
public sealed record QuestionStep(string Content) : Step
{
    public ValueList<string> Options { get; init; } = ValueList<string>.Empty;

    public override string TypeName => StepTypes.Question;
}
