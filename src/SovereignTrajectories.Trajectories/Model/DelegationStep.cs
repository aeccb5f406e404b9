namespace SovereignTrajectories.Trajectories.Model;

/// <summary>A delegation contract or handoff to another agent (NIP-SA draft form).</summary>
public sealed record DelegationStep(string SubAgent) : Step
{
    public string? Scope { get; init; }

    /// <summary>Sub-budget in sats.</summary>
    public long? MaxAmount { get; init; }

    public override string TypeName => StepTypes.Delegation;
}
