namespace SovereignTrajectories.Relays.Tests.Support;

/// <summary>
/// A manual clock: time moves only when a test calls <see cref="Advance"/>, which fires every timer
/// that falls due. Written here because Microsoft.Extensions.TimeProvider.Testing is not obtainable.
/// </summary>
internal sealed class FakeTimeProvider : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<FakeTimer> _timers = new();
    private DateTimeOffset _now;
    private TaskCompletionSource _timerCreated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FakeTimeProvider(DateTimeOffset start) => _now = start;

    public FakeTimeProvider()
        : this(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>Timers armed and not yet fired or disposed.</summary>
    public int ActiveTimers
    {
        get
        {
            lock (_gate)
            {
                return _timers.Count(t => t.Due is not null);
            }
        }
    }

    /// <summary>Completes once at least <paramref name="count"/> timers are armed (the code under test is waiting on time).</summary>
    public async Task WaitForActiveTimersAsync(int count, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task signal;
            lock (_gate)
            {
                if (_timers.Count(t => t.Due is not null) >= count)
                {
                    return;
                }

                signal = _timerCreated.Task;
            }

            await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Completes once a timer is armed to fire within <paramref name="within"/> from now; returns its distance.</summary>
    public async Task<TimeSpan> WaitForTimerDueWithinAsync(TimeSpan within, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task signal;
            lock (_gate)
            {
                DateTimeOffset? earliest = _timers.Where(t => t.Due is not null).Select(t => t.Due).Min();
                if (earliest is { } e && e - _now <= within)
                {
                    return e - _now;
                }

                signal = _timerCreated.Task;
            }

            await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The time until the earliest armed timer, or null when none is armed.</summary>
    public TimeSpan? NextDue()
    {
        lock (_gate)
        {
            DateTimeOffset? earliest = _timers.Where(t => t.Due is not null).Select(t => t.Due).Min();
            return earliest is { } e ? e - _now : null;
        }
    }

    public void Advance(TimeSpan by)
    {
        List<FakeTimer> due;
        lock (_gate)
        {
            _now += by;
            due = _timers.Where(t => t.Due is { } d && d <= _now).ToList();
            foreach (FakeTimer t in due)
            {
                t.Due = t.Period is { } p && p > TimeSpan.Zero ? _now + p : null;
            }
        }

        foreach (FakeTimer t in due)
        {
            t.Fire();
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new FakeTimer(this, callback, state);
        lock (_gate)
        {
            _timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    private void Arm(FakeTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        TaskCompletionSource? signal = null;
        lock (_gate)
        {
            timer.Period = period == Timeout.InfiniteTimeSpan ? null : period;
            timer.Due = dueTime == Timeout.InfiniteTimeSpan ? null : _now + dueTime;
            if (timer.Due is not null)
            {
                signal = _timerCreated;
                _timerCreated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        signal?.TrySetResult();
        if (dueTime == TimeSpan.Zero)
        {
            Advance(TimeSpan.Zero);
        }
    }

    private void Remove(FakeTimer timer)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
        }
    }

    private sealed class FakeTimer(FakeTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? Due { get; set; }

        public TimeSpan? Period { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            owner.Arm(this, dueTime, period);
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => owner.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
