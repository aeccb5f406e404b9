namespace SovereignTrajectories.Worker.Outbox;

/// <summary>
/// A snapshot of the outbox: how much is left to send (<see cref="Depth"/>: pending deliveries),
/// events still short of the quorum, sessions pending and published, deliveries given up, and each relay.
/// </summary>
public sealed record OutboxStatus(
    long Depth,
    long EventsAwaitingQuorum,
    long SessionsPending,
    long SessionsPublished,
    long FailedDeliveries,
    IReadOnlyList<RelayHealth> Relays);
