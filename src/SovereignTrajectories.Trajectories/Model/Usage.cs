namespace SovereignTrajectories.Trajectories.Model;

/// <summary>Token use and cost of one model call, or a sum of them.</summary>
public sealed record Usage(long TokensIn = 0, long TokensOut = 0, long TokensCached = 0, decimal CostUsd = 0m)
{
    public static Usage Zero { get; } = new();

    public static Usage operator +(Usage left, Usage right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return new Usage(
            left.TokensIn + right.TokensIn,
            left.TokensOut + right.TokensOut,
            left.TokensCached + right.TokensCached,
            left.CostUsd + right.CostUsd);
    }

    /// <summary>The sum of <paramref name="usages"/>; <see cref="Zero"/> when there are none.</summary>
    public static Usage Sum(IEnumerable<Usage> usages)
    {
        ArgumentNullException.ThrowIfNull(usages);
        Usage total = Zero;
        foreach (Usage u in usages)
        {
            total += u;
        }

        return total;
    }
}
