namespace SovereignTrajectories.Trajectories.Mapping;

/// <summary>Event kinds of the trajectory profile, current and legacy (profile §8).</summary>
public static class TrajectoryKinds
{
    public const int Session = 39230;
    public const int Step = 39231;
    public const int LegacySession = 38030;
    public const int LegacyStep = 38031;

    public static bool IsSession(int kind) => kind is Session or LegacySession;

    public static bool IsStep(int kind) => kind is Step or LegacyStep;

    /// <summary>The session coordinate <c>39230:&lt;pubkey&gt;:&lt;sid&gt;</c>.</summary>
    public static string Coordinate(string pubKeyHex, string sid) => $"{Session}:{pubKeyHex}:{sid}";
}
