namespace SovereignTrajectories.Trajectories.Model;

/// <summary>An execution phase change (e.g. explore, plan, implement, verify).</summary>
public sealed record PhaseStep(string Phase) : Step
{
    public override string TypeName => StepTypes.Phase;
}
