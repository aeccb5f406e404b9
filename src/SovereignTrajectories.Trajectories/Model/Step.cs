namespace SovereignTrajectories.Trajectories.Model;

/// <summary>
/// One step of a trajectory: one kind 39231 event. <see cref="Seq"/> is the step's position,
/// from 1; <see cref="Trajectory.Create"/> assigns it, so producers may leave it 0.
/// </summary>
public abstract record Step
{
    /// <summary>Position in the trajectory, contiguous from 1.</summary>
    public int Seq { get; init; }

    /// <summary>When the step happened (<c>ts</c>); null when the input has no time.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>Decision metadata: the policy's confidence in this step, when the input has it.</summary>
    public double? Confidence { get; init; }

    /// <summary>Decision metadata: the name of the policy part that produced the step (e.g. a DSPy signature).</summary>
    public string? Signature { get; init; }

    /// <summary>The step's <c>type</c> on the wire (profile §3).</summary>
    public abstract string TypeName { get; }

    /// <summary>Confidence and signature together, or null when the step has neither.</summary>
    public DecisionMetadata? Decision =>
        Confidence is null && Signature is null ? null : new DecisionMetadata(Confidence, Signature);
}
