namespace SovereignTrajectories.Trajectories.Model;

/// <summary>
/// A step whose <c>type</c> this version does not know, kept as the exact content it was
/// published with so that re-publishing or hashing it changes nothing.
/// </summary>
public sealed record UnknownStep(string Type, string RawContent) : Step
{
    public override string TypeName => Type;
}
