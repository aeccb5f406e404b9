using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Worker.Intake;

/// <summary>
/// A sink that keeps a local archive beside its store: when intake meets a run that is already
/// stored (a file taken again after a crash between the commit and its archive write), it asks the
/// sink to complete the archive instead of committing nothing and leaving the evidence missing.
/// </summary>
public interface IArchiveRepairingSink
{
    /// <summary>Writes the session's archive from the store when it is missing or incomplete; no-op otherwise.</summary>
    Task EnsureArchivedAsync(Trajectory trajectory, CancellationToken cancellationToken);
}
