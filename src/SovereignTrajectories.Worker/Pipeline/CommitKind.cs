namespace SovereignTrajectories.Worker.Pipeline;

/// <summary>What a commit did to the outbox.</summary>
public enum CommitKind
{
    /// <summary>A session the outbox had not seen: every event was added.</summary>
    Created,

    /// <summary>New steps (or the final version) were appended to a stored session.</summary>
    Appended,

    /// <summary>The outbox already held everything the run carries (a file taken twice, a restart): nothing was added.</summary>
    Unchanged,
}
