namespace SovereignTrajectories.Worker.Outbox;

/// <summary>
/// Deliveries to one relay due now (oldest event first), and when the next one that is not due yet
/// falls due (null when none is pending beyond those), read at the same instant so nothing that
/// falls due in between is missed.
/// </summary>
public sealed record DueDeliveries(IReadOnlyList<PendingDelivery> Due, DateTimeOffset? NextDueAt);
