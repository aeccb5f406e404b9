namespace SovereignTrajectories.Trajectories.Mapping;

/// <summary>A trajectory that cannot be published as the profile requires; the message names the step and what is wrong.</summary>
public sealed class TrajectoryMappingException : Exception
{
    public TrajectoryMappingException(string message, int? seq = null)
        : base(message) => Seq = seq;

    /// <summary>The step at fault, when one is.</summary>
    public int? Seq { get; }
}
