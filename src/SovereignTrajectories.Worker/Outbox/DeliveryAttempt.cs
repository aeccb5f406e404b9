namespace SovereignTrajectories.Worker.Outbox;

/// <summary>
/// What one attempt did to one delivery, as the delivery policy decided: the new status, whether it
/// counts as an attempt (not when the relay was simply not connected), the relay's answer and when
/// to try again.
/// </summary>
public sealed record DeliveryAttempt(
    long EventNo,
    DeliveryStatus Status,
    bool CountsAsAttempt,
    string Outcome,
    string Message,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset? RelayCooldownUntil = null);
