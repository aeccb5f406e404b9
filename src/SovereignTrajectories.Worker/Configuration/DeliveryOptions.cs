namespace SovereignTrajectories.Worker.Configuration;

/// <summary>How the outbox retries each (event, relay) delivery.</summary>
public sealed class DeliveryOptions
{
    /// <summary>Delay before the first retry; doubles per failed attempt.</summary>
    public TimeSpan BaseRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Largest delay between attempts.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Random spread of each delay as a fraction of it (0.2 = plus or minus 20 %).</summary>
    public double Jitter { get; set; } = 0.2;

    /// <summary>Shortest pause after a relay answered <c>rate-limited:</c> (the relay's own hint wins when longer).</summary>
    public TimeSpan RateLimitCooldown { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts after which a delivery is given up; 0 retries forever (only invalid/blocked answers give up).</summary>
    public int MaxAttempts { get; set; }

    /// <summary>
    /// Events kept on the wire to one relay at once (a sliding window: each answer frees a slot).
    /// Large enough that a slow relay always has work queued while answers are recorded; small
    /// enough that the last of them is still answered within the publish timeout by a relay doing
    /// some tens of events a second.
    /// </summary>
    public int MaxInFlightPerRelay { get; set; } = 256;

    /// <summary>How long sends already on the wire may finish after shutdown starts; the rest stays in the outbox.</summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(5);
}
