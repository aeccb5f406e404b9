using SovereignTrajectories.Nostr.Events;

namespace SovereignTrajectories.Audit.Fetching;

/// <summary>
/// Events returned by a source for some filters, in no particular order. Relay sources return only
/// events that already passed verification and filter matching; archive sources return every strictly
/// parsed event that matches, valid or not, so the verifier can report forged ones.
/// </summary>
public sealed record EventBatch(
    IReadOnlyList<NostrEvent> Events,
    IReadOnlyList<EventParseFailure> ParseFailures,
    IReadOnlyList<SourceReport> Sources)
{
    /// <summary>True when every source answered completely.</summary>
    public bool Complete => Sources.All(s => s.Completed);
}
