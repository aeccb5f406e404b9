using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Trajectories.Mapping;

/// <summary>
/// A trajectory read back from events: the model (its <see cref="Trajectory.Notes"/> hold every
/// legacy form met), the newest session version, all versions seen and the step events used, in seq order.
/// </summary>
public sealed record TrajectoryReadResult(
    Trajectory Trajectory,
    NostrEvent Session,
    IReadOnlyList<NostrEvent> SessionVersions,
    IReadOnlyList<NostrEvent> StepEvents)
{
    public IReadOnlyList<TrajectoryNote> Notes => Trajectory.Notes;
}
