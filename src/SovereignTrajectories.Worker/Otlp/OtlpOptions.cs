namespace SovereignTrajectories.Worker.Otlp;

/// <summary>How received OTLP spans become trajectories.</summary>
public sealed class OtlpOptions
{
    /// <summary>A trace whose root span never arrives is ended this long after its last span arrived.</summary>
    public TimeSpan TraceIdleTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// After the root span arrives, wait this long for spans still in flight before storing the run:
    /// exporters that send each span on its own (a simple span processor) may deliver a child after
    /// the root. Zero stores the run at once, before the root's request is answered.
    /// </summary>
    public TimeSpan RootGracePeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often open traces are checked for the grace period and the idle timeout.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Where spans answered for but not stored as a run yet are kept, one file per open trace, so a
    /// crash loses none of them (relative to the worker's data directory).
    /// </summary>
    public string JournalDirectory { get; set; } = "otlp-open";

    /// <summary>Most traces held open at once; a request that would open more is refused with 429 (the exporter retries).</summary>
    public int MaxOpenTraces { get; set; } = 10_000;
}
