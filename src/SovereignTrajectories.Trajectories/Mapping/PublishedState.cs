using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Trajectories.Mapping;

/// <summary>
/// What has been published for a session so far: enough to append steps and publish a new
/// session version later (a reward arriving after the end) without changing anything already
/// published. <see cref="Trajectory"/> is the model as published (after redaction, full outputs).
/// </summary>
public sealed record PublishedState(
    Trajectory Trajectory,
    string PubKey,
    string OpeningId,
    ValueList<string> StepIds,
    ValueList<string> StepContents,
    long LastSessionCreatedAt,
    long LastStepCreatedAt)
{
    public string Sid => Trajectory.Session.Sid;

    public string Coordinate => TrajectoryKinds.Coordinate(PubKey, Sid);

    public int StepCount => StepIds.Count;

    /// <summary>The id of the last step event (the next step's <c>reply</c>), or null before any step.</summary>
    public string? LastStepId => StepIds.Count == 0 ? null : StepIds[^1];
}
