using SovereignTrajectories.Nostr.Events;

namespace SovereignTrajectories.Audit.Fetching;

/// <summary>
/// Events returned by a source for some filters, in no particular order. Relay sources return only
/// events that already passed verification and filter matching; archive sources return every strictly
/// parsed event that matches, valid or not, so the verifier can report forged ones. An archive source
/// may also give <paramref name="Checks"/>: its verdict on each event (aligned with
/// <paramref name="Events"/>), reached by <see cref="EventVerifier"/> in this process from the id it
/// computed while parsing, so the verifier reports them instead of verifying a second time.
/// </summary>
public sealed record EventBatch(
    IReadOnlyList<NostrEvent> Events,
    IReadOnlyList<EventParseFailure> ParseFailures,
    IReadOnlyList<SourceReport> Sources,
    IReadOnlyList<EventCheck>? Checks = null)
{
    /// <summary>True when every source answered completely.</summary>
    public bool Complete => Sources.All(s => s.Completed);
}
