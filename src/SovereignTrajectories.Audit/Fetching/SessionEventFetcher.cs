using SovereignTrajectories.Nostr.Events;

namespace SovereignTrajectories.Audit.Fetching;

/// <summary>
/// Every verified event of one session (all versions and steps) from a source, de-duplicated after
/// verification: what <c>sovtraj prove</c> needs to build an inclusion proof from relays instead of a file.
/// </summary>
public static class SessionEventFetcher
{
    public static async Task<IReadOnlyList<NostrEvent>> FetchVerifiedAsync(IEventSource source, string pubKey, string sid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        EventBatch batch = await source.FetchAsync(TrajectoryFilters.ForSession(pubKey, sid), cancellationToken).ConfigureAwait(false);
        bool[] valid = new bool[batch.Events.Count];
        if (batch.Checks is { } checks && checks.Count == valid.Length)
        {
            // The source's own verdicts, reached in this process: no second verification.
            for (int i = 0; i < valid.Length; i++)
            {
                valid[i] = checks[i].IsValid;
            }
        }
        else
        {
            Parallel.For(0, valid.Length, i => valid[i] = EventVerifier.IsValid(batch.Events[i]));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<NostrEvent>();
        for (int i = 0; i < valid.Length; i++)
        {
            if (valid[i] && seen.Add(batch.Events[i].Id))
            {
                result.Add(batch.Events[i]);
            }
        }

        if (!result.Any(e => e.Kind is 39230 or 38030))
        {
            throw new AuditDataException($"session 39230:{pubKey}:{sid} not found in {source.Description}");
        }

        return result;
    }
}
