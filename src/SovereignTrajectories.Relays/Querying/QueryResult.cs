using SovereignTrajectories.Nostr.Events;

namespace SovereignTrajectories.Relays.Querying;

/// <summary>Verified, filter-matching, de-duplicated events from every read relay, with each relay's report.</summary>
public sealed record QueryResult(IReadOnlyList<NostrEvent> Events, IReadOnlyList<RelayQueryReport> Relays)
{
    /// <summary>True when every relay reached the end of its stored events for every filter.</summary>
    public bool Complete => Relays.All(r => r.Completed);
}
