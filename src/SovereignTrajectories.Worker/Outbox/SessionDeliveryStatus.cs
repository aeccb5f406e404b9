namespace SovereignTrajectories.Worker.Outbox;

/// <summary>
/// How far one session's current events got: how many must reach the quorum, how many did, and how
/// many never can (their relays gave up and too few remain).
/// </summary>
public sealed record SessionDeliveryStatus(
    string Coordinate,
    string Sid,
    bool Published,
    int RequiredEvents,
    int EventsAtQuorum,
    int EventsUnreachable,
    IReadOnlyList<string> FailureReasons)
{
    /// <summary>True when the session is published or can no longer be.</summary>
    public bool Settled => Published || EventsUnreachable > 0;
}
