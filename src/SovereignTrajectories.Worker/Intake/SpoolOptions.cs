using SovereignTrajectories.Trajectories.Ingest;

namespace SovereignTrajectories.Worker.Intake;

/// <summary>The spool: run files dropped into <c>inbox/</c>, moved to <c>archive/</c> or <c>failed/</c>.</summary>
public sealed class SpoolOptions
{
    /// <summary>Whether the spool is watched at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The spool root holding <c>inbox/</c>, <c>archive/</c> and <c>failed/</c>; relative to the data directory.</summary>
    public string Directory { get; set; } = "spool";

    /// <summary>
    /// A file not named <c>*.part</c> is taken once its size and write time stayed the same this
    /// long, so a writer that does not rename is not read half-written. Zero takes files at once.
    /// </summary>
    public TimeSpan QuietPeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the inbox is listed even without a watcher event (watchers miss events).</summary>
    public TimeSpan RescanInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The format of the files, or <see cref="TrajectoryFormat.Auto"/> to detect each one.</summary>
    public TrajectoryFormat Format { get; set; } = TrajectoryFormat.Auto;

    /// <summary>
    /// A file whose run could not be stored (not a content error) is tried this many times, with
    /// waits doubling from 1 s up to 5 min between tries, then moved to failed/.
    /// </summary>
    public int MaxAttempts { get; set; } = 12;

    /// <summary>
    /// How many inbox files are converted and committed at once (default 4). Runs of different
    /// sessions are independent; more than one lets conversion use several cores and lets the outbox
    /// share one fsync among their commits. 1 takes files strictly one by one in name order.
    /// </summary>
    public int MaxConcurrentFiles { get; set; } = 4;
}
