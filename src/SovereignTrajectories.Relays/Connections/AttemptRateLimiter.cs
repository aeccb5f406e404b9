namespace SovereignTrajectories.Relays.Connections;

/// <summary>
/// A sliding one-minute window of connection attempts: whatever the backoff computes, a relay never
/// sees more than the configured number of attempts in any 60 seconds.
/// </summary>
public sealed class AttemptRateLimiter
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly int _maxPerMinute;
    private readonly Queue<DateTimeOffset> _attempts = new();
    private readonly Lock _gate = new();

    public AttemptRateLimiter(int maxPerMinute)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPerMinute, 1);
        _maxPerMinute = maxPerMinute;
    }

    /// <summary>Takes a slot at <paramref name="now"/>, or says how long until one frees up.</summary>
    public bool TryAcquire(DateTimeOffset now, out TimeSpan wait)
    {
        lock (_gate)
        {
            while (_attempts.Count > 0 && now - _attempts.Peek() >= Window)
            {
                _attempts.Dequeue();
            }

            if (_attempts.Count < _maxPerMinute)
            {
                _attempts.Enqueue(now);
                wait = TimeSpan.Zero;
                return true;
            }

            wait = _attempts.Peek() + Window - now;
            return false;
        }
    }
}
