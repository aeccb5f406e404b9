namespace SovereignTrajectories.Worker.Configuration;

/// <summary>Redaction and mapping choices of the worker.</summary>
public sealed class MappingOptions
{
    /// <summary>Largest serialised event in bytes (profile §3.1); at least 2048, at most 65536 by default.</summary>
    public int MaxEventBytes { get; set; } = 64 * 1024;

    /// <summary>Publish a checkpoint session version every this many steps; 0 for none.</summary>
    public int CheckpointEvery { get; set; }

    /// <summary>Relay URL written as the hint in <c>a</c>/<c>e</c> tags and the receipt; empty for the first write relay.</summary>
    public string? RelayHint { get; set; }

    /// <summary>Publish thinking text instead of its hash (profile §4). Off unless the operator means it.</summary>
    public bool PublishThinking { get; set; }
}
