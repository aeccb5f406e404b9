namespace SovereignTrajectories.Trajectories.Model;

/// <summary>The run's own end marker, with its summary.</summary>
public sealed record SessionEndStep : Step
{
    public string? Summary { get; init; }

    /// <summary>success, failure, cancelled, ... as the input says.</summary>
    public string? Status { get; init; }

    public long? TokensTotal { get; init; }

    public override string TypeName => StepTypes.SessionEnd;
}
