using SovereignTrajectories.Nostr.Filters;
using SovereignTrajectories.Trajectories.Mapping;

namespace SovereignTrajectories.Audit.Fetching;

/// <summary>The filters the auditor sends: every version of a session, every step of it, events by id.</summary>
public static class TrajectoryFilters
{
    /// <summary>
    /// Session versions (39230 and legacy 38030 by author and <c>d</c>) and steps (39231/38031 by <c>#a</c>,
    /// any author, so foreign steps are seen and reported). Two tag keys at most per filter: some relays
    /// silently return nothing for more.
    /// </summary>
    public static IReadOnlyList<Filter> ForSession(string pubKey, string sid)
    {
        ArgumentNullException.ThrowIfNull(pubKey);
        ArgumentNullException.ThrowIfNull(sid);
        return
        [
            new Filter
            {
                Kinds = [TrajectoryKinds.Session, TrajectoryKinds.LegacySession],
                Authors = [pubKey],
                Tags = new Dictionary<char, IReadOnlyList<string>> { ['d'] = [sid] },
            },
            new Filter
            {
                Kinds = [TrajectoryKinds.Step, TrajectoryKinds.LegacyStep],
                Tags = new Dictionary<char, IReadOnlyList<string>>
                {
                    ['a'] = [TrajectoryKinds.Coordinate(pubKey, sid), $"{TrajectoryKinds.LegacySession}:{pubKey}:{sid}"],
                },
            },
        ];
    }

    /// <summary>Session versions with <c>d</c> = <paramref name="sid"/> by any author (to find the author of a RECEIPT.json).</summary>
    public static IReadOnlyList<Filter> SessionsById(string sid) =>
    [
        new Filter
        {
            Kinds = [TrajectoryKinds.Session, TrajectoryKinds.LegacySession],
            Tags = new Dictionary<char, IReadOnlyList<string>> { ['d'] = [sid] },
        },
    ];

    /// <summary>Events by id.</summary>
    public static IReadOnlyList<Filter> ByIds(params string[] ids) => [new Filter { Ids = ids }];
}
