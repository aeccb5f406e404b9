using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Filters;
using SovereignTrajectories.Relays;
using SovereignTrajectories.Relays.Configuration;
using SovereignTrajectories.Relays.Querying;
using SovereignTrajectories.Trajectories.Mapping;

namespace SovereignTrajectories.Worker.Tests.EndToEnd;

/// <summary>Reads what one relay holds for an author, the way an auditor would.</summary>
internal static class RelayReadBack
{
    public static async Task<IReadOnlyList<NostrEvent>> QueryAsync(Uri relay, string author, CancellationToken ct)
    {
        await using var pool = new RelayPool(RelayPoolConfiguration.FromUrls([relay.ToString()]));
        await pool.ConnectAsync(ct);
        QueryResult result = await pool.QueryAsync(
            [new Filter { Authors = [author], Kinds = [TrajectoryKinds.Session, TrajectoryKinds.Step, 39211] }],
            ct);
        return result.Events;
    }
}
