namespace SovereignTrajectories.Trajectories.Model;

/// <summary>
/// Session metadata of a run: what the kind 39230 event carries. <see cref="Sid"/> must match the
/// profile's identifier rule (1-128 chars of <c>[A-Za-z0-9._:-]</c>); use
/// <see cref="SessionIds.Sanitize(string)"/> on foreign ids.
/// </summary>
public sealed record SessionInfo
{
    public SessionInfo(string sid, DateTimeOffset startedAt)
    {
        Sid = sid;
        StartedAt = startedAt;
    }

    /// <summary>The session id: the 39230 <c>d</c> tag and the prefix of every step's <c>d</c>.</summary>
    public string Sid { get; init => field = SessionIds.Validate(value, nameof(Sid)); }

    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Set when the run has ended; only the final session version carries it.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    public AgentInfo? Agent { get; init; }

    /// <summary>Model id; <c>"unknown"</c> when the input names none (the tag is required).</summary>
    public string Model { get; init; } = "unknown";

    public string? Repo { get; init; }

    public string? Sha { get; init; }

    /// <summary>Participant pubkeys (hex), one <c>p</c> tag each.</summary>
    public ValueList<string> Participants { get; init; } = ValueList<string>.Empty;

    /// <summary>A 39210 tick event id or a tick label.</summary>
    public string? Tick { get; init; }

    public TrajectoryVisibility Visibility { get; init; } = TrajectoryVisibility.Public;

    public bool IsComplete => EndedAt is not null;
}
