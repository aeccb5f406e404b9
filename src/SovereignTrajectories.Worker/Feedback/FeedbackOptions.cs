namespace SovereignTrajectories.Worker.Feedback;

/// <summary>The feedback file drop: JSON files in <c>inbox/</c>, moved to <c>archive/</c> or <c>failed/</c>.</summary>
public sealed class FeedbackOptions
{
    /// <summary>Whether the drop is watched.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The drop root; relative to the data directory.</summary>
    public string Directory { get; set; } = "feedback";

    /// <summary>Same rule as the spool's quiet period.</summary>
    public TimeSpan QuietPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the inbox is listed even without a watcher event.</summary>
    public TimeSpan RescanInterval { get; set; } = TimeSpan.FromSeconds(1);
}
