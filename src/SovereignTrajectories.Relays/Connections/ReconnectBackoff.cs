using SovereignTrajectories.Relays.Configuration;

namespace SovereignTrajectories.Relays.Connections;

/// <summary>
/// Exponential reconnect delays with jitter for one relay. A connection that stayed up for the
/// stability window resets the count; one that dropped sooner counts as another failure, so a
/// flapping relay backs off as if it had never connected.
/// </summary>
public sealed class ReconnectBackoff
{
    private readonly TimeSpan _base;
    private readonly TimeSpan _cap;
    private readonly double _jitter;
    private readonly TimeSpan _stability;
    private readonly Func<double> _random;
    private DateTimeOffset? _connectedAt;

    /// <param name="random">Returns a value in [0, 1); injected so tests are deterministic.</param>
    public ReconnectBackoff(RelayConnectionOptions options, Func<double> random)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        _base = options.ReconnectBaseDelay;
        _cap = options.ReconnectMaxDelay;
        _jitter = options.ReconnectJitter;
        _stability = options.StabilityWindow;
        _random = random;
    }

    /// <summary>Consecutive failures (failed attempts and connections shorter than the stability window).</summary>
    public int Failures { get; private set; }

    /// <summary>Records that a connection opened.</summary>
    public void Connected(DateTimeOffset now) => _connectedAt = now;

    /// <summary>Records a failed attempt and returns the delay before the next one.</summary>
    public TimeSpan Failed()
    {
        _connectedAt = null;
        Failures++;
        return Delay(Failures);
    }

    /// <summary>Records that an open connection dropped and returns the delay before reconnecting.</summary>
    public TimeSpan Disconnected(DateTimeOffset now)
    {
        if (_connectedAt is { } at && now - at >= _stability)
        {
            Failures = 0;
        }

        _connectedAt = null;
        Failures++;
        return Delay(Failures);
    }

    /// <summary>base * 2^(n-1), capped, then spread by the jitter fraction (and capped again).</summary>
    public TimeSpan Delay(int failures)
    {
        double exponent = Math.Min(Math.Max(failures - 1, 0), 30);
        double ms = Math.Min(_base.TotalMilliseconds * Math.Pow(2, exponent), _cap.TotalMilliseconds);
        double spread = 1 + (_jitter * ((2 * _random()) - 1));
        return TimeSpan.FromMilliseconds(Math.Clamp(ms * spread, 0, _cap.TotalMilliseconds));
    }
}
