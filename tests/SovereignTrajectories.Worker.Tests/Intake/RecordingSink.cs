using SovereignTrajectories.Trajectories.Model;
using SovereignTrajectories.Worker.Intake;

namespace SovereignTrajectories.Worker.Tests.Intake;

/// <summary>
/// An <see cref="ITrajectorySink"/> that keeps sessions in memory like the outbox would (steps
/// renumbered on append, a final flag) and records every call; tests await conditions on it.
/// </summary>
internal sealed class RecordingSink : ITrajectorySink
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Trajectory> _sessions = new(StringComparer.Ordinal);
    private readonly List<SinkCall> _calls = [];
    private readonly List<string> _failures = [];
    private readonly List<(Func<RecordingSink, bool> Condition, TaskCompletionSource Done)> _waiters = [];

    /// <summary>When set, every commit or append throws it (a failing outbox).</summary>
    public Exception? Failure { get; set; }

    /// <summary>Calls refused because of <see cref="Failure"/>.</summary>
    public IReadOnlyList<string> Failures
    {
        get
        {
            lock (_gate)
            {
                return _failures.ToList();
            }
        }
    }

    public IReadOnlyList<SinkCall> Calls
    {
        get
        {
            lock (_gate)
            {
                return _calls.ToList();
            }
        }
    }

    public Trajectory? Session(string sid)
    {
        lock (_gate)
        {
            return _sessions.GetValueOrDefault(sid);
        }
    }

    public IReadOnlyList<Trajectory> Sessions
    {
        get
        {
            lock (_gate)
            {
                return _sessions.Values.ToList();
            }
        }
    }

    /// <summary>Seeds a stored session, as if committed earlier.</summary>
    public void Seed(Trajectory trajectory)
    {
        lock (_gate)
        {
            _sessions[trajectory.Session.Sid] = trajectory;
        }
    }

    public Task<SinkSession?> FindAsync(string sid, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_sessions.TryGetValue(sid, out Trajectory? t) ? State(t) : null);
        }
    }

    public Task<SinkSession> CommitAsync(Trajectory trajectory, string source, CancellationToken cancellationToken)
    {
        if (Failure is { } failure)
        {
            lock (_gate)
            {
                _failures.Add(trajectory.Session.Sid);
            }

            return Task.FromException<SinkSession>(failure);
        }

        SinkSession state;
        lock (_gate)
        {
            if (_sessions.ContainsKey(trajectory.Session.Sid))
            {
                throw new InvalidOperationException($"session {trajectory.Session.Sid} committed twice");
            }

            _sessions[trajectory.Session.Sid] = trajectory;
            _calls.Add(new SinkCall("commit", trajectory.Session.Sid, trajectory.Steps.ToList(), trajectory.Session.EndedAt, source));
            state = State(trajectory);
        }

        Signal();
        return Task.FromResult(state);
    }

    public Task<SinkSession> AppendAsync(string sid, IReadOnlyList<Step> steps, DateTimeOffset? endedAt, string source, CancellationToken cancellationToken)
    {
        if (Failure is { } failure)
        {
            lock (_gate)
            {
                _failures.Add(sid);
            }

            return Task.FromException<SinkSession>(failure);
        }

        SinkSession state;
        lock (_gate)
        {
            if (!_sessions.TryGetValue(sid, out Trajectory? t))
            {
                throw new SessionNotFoundException(sid);
            }

            t = t.Append(steps);
            if (endedAt is not null)
            {
                t = t with { Session = t.Session with { EndedAt = endedAt } };
            }

            _sessions[sid] = t;
            _calls.Add(new SinkCall("append", sid, steps.ToList(), endedAt, source));
            state = State(t);
        }

        Signal();
        return Task.FromResult(state);
    }

    /// <summary>Completes once <paramref name="condition"/> holds (checked now and after every change).</summary>
    public Task WaitUntilAsync(Func<RecordingSink, bool> condition, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _waiters.Add((condition, done));
        }

        Signal();
        return done.Task.WaitAsync(cancellationToken);
    }

    private void Signal()
    {
        List<(Func<RecordingSink, bool>, TaskCompletionSource)> waiters;
        lock (_gate)
        {
            waiters = _waiters.ToList();
        }

        foreach ((Func<RecordingSink, bool> condition, TaskCompletionSource done) in waiters)
        {
            if (condition(this))
            {
                lock (_gate)
                {
                    _waiters.RemoveAll(w => w.Done == done);
                }

                done.TrySetResult();
            }
        }
    }

    private static SinkSession State(Trajectory t) => new(t.Session.Sid, t.Steps.Count, t.Session.IsComplete);
}

internal sealed record SinkCall(string Kind, string Sid, IReadOnlyList<Step> Steps, DateTimeOffset? EndedAt, string Source);
