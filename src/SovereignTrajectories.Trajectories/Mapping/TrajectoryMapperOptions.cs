namespace SovereignTrajectories.Trajectories.Mapping;

/// <summary>How a trajectory becomes events.</summary>
public sealed class TrajectoryMapperOptions
{
    /// <summary>strfry's default limit, the profile's ceiling (§3.1).</summary>
    public const int DefaultMaxEventBytes = 64 * 1024;

    /// <summary>Relay URL written as the hint in <c>a</c> and <c>e</c> tags; empty for none.</summary>
    public string RelayHint { get; set; } = string.Empty;

    /// <summary>Largest serialised event allowed, in UTF-8 bytes (the smallest relay limit, at most 64 KiB).</summary>
    public int MaxEventBytes { get; set; } = DefaultMaxEventBytes;

    /// <summary>Publish a checkpoint session version after every this many steps; 0 for none.</summary>
    public int CheckpointEvery { get; set; }

    internal void Validate()
    {
        if (MaxEventBytes < 2048)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxEventBytes), MaxEventBytes, "MaxEventBytes must be at least 2048");
        }

        if (CheckpointEvery < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(CheckpointEvery), CheckpointEvery, "CheckpointEvery must not be negative");
        }

        ArgumentNullException.ThrowIfNull(RelayHint, nameof(RelayHint));
    }
}
