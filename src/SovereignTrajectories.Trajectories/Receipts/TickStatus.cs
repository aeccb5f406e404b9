namespace SovereignTrajectories.Trajectories.Receipts;

/// <summary>How a run ended, as the 39211 receipt's <c>status</c> tag states it.</summary>
public enum TickStatus
{
    /// <summary><c>success</c>.</summary>
    Success,

    /// <summary><c>failure</c>.</summary>
    Failure,

    /// <summary><c>timeout</c>.</summary>
    Timeout,
}
