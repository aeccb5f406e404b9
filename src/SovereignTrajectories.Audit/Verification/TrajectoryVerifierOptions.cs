namespace SovereignTrajectories.Audit.Verification;

/// <summary>Tolerances of the verifier.</summary>
public sealed class TrajectoryVerifierOptions
{
    /// <summary>How far a step may sit outside <c>started_at..ended_at</c>, or in the future, before a clock-skew warning.</summary>
    public TimeSpan TimestampTolerance { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Most evidence ids listed under one check (the reason still gives the full count).</summary>
    public int MaxEvidenceIds { get; set; } = 20;

    /// <summary>Degree of parallelism for signature verification; 0 means every core.</summary>
    public int MaxDegreeOfParallelism { get; set; }
}
