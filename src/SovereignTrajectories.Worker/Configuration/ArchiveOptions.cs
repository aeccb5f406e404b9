namespace SovereignTrajectories.Worker.Configuration;

/// <summary>The local evidence archive: one folder per session.</summary>
public sealed class ArchiveOptions
{
    /// <summary>Whether sessions are archived at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The archive root; empty means <c>sessions/</c> in the data directory.</summary>
    public string? Directory { get; set; }
}
