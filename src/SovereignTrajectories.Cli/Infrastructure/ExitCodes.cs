namespace SovereignTrajectories.Cli.Infrastructure;

/// <summary>Exit codes shared by every command, so scripts can rely on them.</summary>
internal static class ExitCodes
{
    /// <summary>Everything checked out (all valid, every quorum reached, every required check passed).</summary>
    public const int Ok = 0;

    /// <summary>The command ran and found something invalid or failing.</summary>
    public const int Failed = 1;

    /// <summary>The command could not run: bad arguments, unreadable input, missing library, unreachable relays.</summary>
    public const int CouldNotRun = 2;
}
