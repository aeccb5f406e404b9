using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Worker.Intake;

/// <summary>
/// Hands runs to the <see cref="ITrajectorySink"/> idempotently, under the session's lock: a run
/// already (partly) in the outbox is resumed from its stored step count instead of committed twice,
/// so input taken again after a crash, or a file that a live follower already opened, adds only
/// what is new.
/// </summary>
public sealed class TrajectoryCommitter
{
    private readonly ITrajectorySink _sink;
    private readonly SessionLocks _locks;

    public TrajectoryCommitter(ITrajectorySink sink, SessionLocks locks)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(locks);
        _sink = sink;
        _locks = locks;
    }

    /// <summary>Stores <paramref name="trajectory"/>: committed when new, else only its steps beyond the stored ones (and its end).</summary>
    public async Task<SinkSession> StoreAsync(Trajectory trajectory, string source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        string sid = trajectory.Session.Sid;
        using IDisposable held = await _locks.AcquireAsync(sid, cancellationToken).ConfigureAwait(false);
        SinkSession? existing = await _sink.FindAsync(sid, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            return await _sink.CommitAsync(trajectory, source, cancellationToken).ConfigureAwait(false);
        }

        bool endsNow = trajectory.Session.IsComplete && !existing.Ended;
        if (existing.StepCount >= trajectory.Steps.Count && !endsNow)
        {
            if (_sink is IArchiveRepairingSink archiving)
            {
                await archiving.EnsureArchivedAsync(trajectory, cancellationToken).ConfigureAwait(false);
            }

            return existing;
        }

        Step[] rest = trajectory.Steps.Skip(existing.StepCount).ToArray();
        return await _sink.AppendAsync(sid, rest, existing.Ended ? null : trajectory.Session.EndedAt, source, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The stored state of a session, or null.</summary>
    public Task<SinkSession?> FindAsync(string sid, CancellationToken cancellationToken) => _sink.FindAsync(sid, cancellationToken);

    /// <summary>
    /// Appends under the session's lock what <paramref name="plan"/> chooses after seeing the stored
    /// state (so the steps always continue from the stored count); a null plan stores nothing.
    /// <paramref name="plan"/> may also refuse by throwing.
    /// </summary>
    public async Task<SinkSession> AppendAsync(
        string sid,
        Func<SinkSession, AppendPlan?> plan,
        string source,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        using IDisposable held = await _locks.AcquireAsync(sid, cancellationToken).ConfigureAwait(false);
        SinkSession existing = await _sink.FindAsync(sid, cancellationToken).ConfigureAwait(false)
            ?? throw new SessionNotFoundException(sid);
        AppendPlan? chosen = plan(existing);
        if (chosen is null)
        {
            return existing;
        }

        return await _sink.AppendAsync(sid, chosen.Steps, chosen.EndedAt, source, cancellationToken).ConfigureAwait(false);
    }
}
