namespace SovereignTrajectories.Trajectories.Model;

/// <summary>What a verification run checked (profile §3, <c>kind</c>).</summary>
public enum VerificationKind
{
    Test,
    Build,
    Lint,
    Other,
}
