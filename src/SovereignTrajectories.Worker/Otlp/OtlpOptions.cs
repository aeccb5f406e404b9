namespace SovereignTrajectories.Worker.Otlp;

/// <summary>How received OTLP spans become trajectories.</summary>
public sealed class OtlpOptions
{
    /// <summary>A trace whose root span never arrives is ended this long after its last span arrived.</summary>
    public TimeSpan TraceIdleTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often open traces are checked for the idle timeout.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Most traces held open at once; a request that would open more is refused with 429 (the exporter retries).</summary>
    public int MaxOpenTraces { get; set; } = 10_000;
}
