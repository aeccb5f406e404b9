using SovereignTrajectories.Nostr.Events;

namespace SovereignTrajectories.Trajectories.Mapping;

/// <summary>
/// The signed events of one mapping (or append), in publish order, plus what stays local:
/// the full text of every output that was cut to a preview (by seq), and the state to append from.
/// </summary>
public sealed record MappedTrajectory(
    IReadOnlyList<NostrEvent> Events,
    IReadOnlyList<NostrEvent> StepEvents,
    IReadOnlyList<NostrEvent> SessionVersions,
    IReadOnlyDictionary<int, string> FullOutputs,
    PublishedState State)
{
    /// <summary>The newest session version produced (final, or the last checkpoint/opening).</summary>
    public NostrEvent LatestSession => SessionVersions[^1];
}
