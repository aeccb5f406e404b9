using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Worker.Intake;

/// <summary>
/// Where intake hands runs over: the publishing pipeline (redact, map, sign, commit to the outbox
/// in one transaction). Each call returns only once its events are safely in the outbox, so intake
/// may then archive the input or answer the HTTP client. Calls for one session are serialised by
/// intake (<see cref="SessionLocks"/>).
/// </summary>
public interface ITrajectorySink
{
    /// <summary>The session as the outbox holds it, or null when it has never been committed.</summary>
    Task<SinkSession?> FindAsync(string sid, CancellationToken cancellationToken);

    /// <summary>
    /// Commits a new session: its opening version and steps, and the final version when
    /// <see cref="SessionInfo.EndedAt"/> is set (an unended trajectory is a live run's start).
    /// </summary>
    Task<SinkSession> CommitAsync(Trajectory trajectory, string source, CancellationToken cancellationToken);

    /// <summary>
    /// Appends <paramref name="steps"/> (numbered after the stored ones) to a committed session and
    /// publishes a new session version: final when <paramref name="endedAt"/> is given or the session
    /// had already ended (a reward after the end). Throws <see cref="SessionNotFoundException"/>
    /// when the session was never committed.
    /// </summary>
    Task<SinkSession> AppendAsync(string sid, IReadOnlyList<Step> steps, DateTimeOffset? endedAt, string source, CancellationToken cancellationToken);
}
