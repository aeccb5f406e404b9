namespace SovereignTrajectories.Worker.Live;

/// <summary>Runs followed while they are written (REPLAY.jsonl, Claude Code and Codex logs).</summary>
public sealed class LiveOptions
{
    /// <summary>Whether live runs are followed.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The directory watched when <see cref="Directories"/> lists none.</summary>
    public const string DefaultDirectory = "live";

    /// <summary>
    /// Directories watched, with their subdirectories; relative to the data directory. Empty means
    /// <see cref="DefaultDirectory"/> (an empty default, because configuration binding adds to a
    /// list instead of replacing it).
    /// </summary>
    public IList<string> Directories { get; set; } = new List<string>();

    /// <summary>The directories to watch: <see cref="Directories"/>, or <see cref="DefaultDirectory"/> when it lists none.</summary>
    public IReadOnlyList<string> EffectiveDirectories => Directories.Count > 0 ? Directories.ToList() : [DefaultDirectory];

    /// <summary>File name pattern of followed files.</summary>
    public string Pattern { get; set; } = "*.jsonl";

    /// <summary>After a change, wait this long so lines written together go out as one batch.</summary>
    public TimeSpan BatchDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How often followed files are checked even without a watcher event.</summary>
    public TimeSpan RescanInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A run with no end marker that has not changed this long is ended (its final version is published).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);
}
