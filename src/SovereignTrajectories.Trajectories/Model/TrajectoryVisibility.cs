namespace SovereignTrajectories.Trajectories.Model;

/// <summary>The session's <c>visibility</c> tag (profile §2).</summary>
public enum TrajectoryVisibility
{
    Public,
    Private,
}
