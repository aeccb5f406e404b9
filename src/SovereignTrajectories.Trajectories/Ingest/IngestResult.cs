using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Trajectories.Ingest;

/// <summary>
/// What one input held: its trajectories (OTLP files may carry several traces, one trajectory
/// each; the other formats one) and notes about the input as a whole (skipped lines, ignored
/// events and fields, legacy forms). Notes about one run also sit in <see cref="Trajectory.Notes"/>.
/// </summary>
public sealed record IngestResult(TrajectoryFormat Format, string Source, ValueList<Trajectory> Trajectories, ValueList<TrajectoryNote> Notes)
{
    /// <summary>The only trajectory; throws <see cref="IngestException"/> when the input held none or several.</summary>
    public Trajectory Single() => Trajectories.Count == 1
        ? Trajectories[0]
        : throw new IngestException(Source, null, null, $"expected one trajectory, found {Trajectories.Count}");
}
