using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Worker.Intake;

/// <summary>Ends a run that carries no end of its own (no end marker, idle timeout, a trace without its root).</summary>
public static class LiveEnd
{
    /// <summary>The time of the run's last step (or its start), never before the start; <paramref name="fallback"/> when no step has a time.</summary>
    public static DateTimeOffset EndTime(Trajectory trajectory, DateTimeOffset? fallback)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        DateTimeOffset start = trajectory.Session.StartedAt;
        DateTimeOffset? last = trajectory.Steps.Select(s => s.Timestamp).Where(t => t is not null).Max();
        DateTimeOffset end = last ?? fallback ?? start;
        return end < start ? start : end;
    }

    /// <summary>A copy ended at <see cref="EndTime"/>.</summary>
    public static Trajectory EndAtLastStep(Trajectory trajectory, DateTimeOffset? fallback) =>
        trajectory with { Session = trajectory.Session with { EndedAt = EndTime(trajectory, fallback) } };
}
