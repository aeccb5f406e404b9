using SovereignTrajectories.Nostr.Messages;
using SovereignTrajectories.Relays.Publishing;
using SovereignTrajectories.Worker.Configuration;
using SovereignTrajectories.Worker.Outbox;

namespace SovereignTrajectories.Worker.Delivery;

/// <summary>
/// Decides what a relay's answer means for one delivery: accepted; given up for good (the relay
/// called the event invalid, blocked, restricted, muted or wanting proof of work, it could never be
/// sent, or the attempts ran out); or retried after an exponential backoff with jitter, after the
/// relay's cooldown when it said <c>rate-limited</c>, and without counting an attempt when the relay
/// was simply not connected.
/// </summary>
public sealed class DeliveryPolicy
{
    private readonly DeliveryOptions _options;
    private readonly TimeProvider _time;
    private readonly Func<double> _random;

    /// <param name="random">Uniform in [0, 1); tests pass a fixed one.</param>
    public DeliveryPolicy(DeliveryOptions options, TimeProvider time, Func<double>? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options;
        _time = time;
        _random = random ?? Random.Shared.NextDouble;
    }

    /// <summary>The delay before attempt <paramref name="attempts"/> + 1, after <paramref name="attempts"/> failures (at least 1).</summary>
    public TimeSpan Backoff(int attempts)
    {
        int exponent = Math.Clamp(attempts - 1, 0, 30);
        double baseMs = _options.BaseRetryDelay.TotalMilliseconds * Math.Pow(2, exponent);
        double capped = Math.Min(baseMs, _options.MaxRetryDelay.TotalMilliseconds);
        double spread = 1 + (_options.Jitter * ((2 * _random()) - 1));
        return TimeSpan.FromMilliseconds(Math.Max(0, capped * spread));
    }

    /// <summary>What <paramref name="outcome"/> does to <paramref name="delivery"/>.</summary>
    /// <param name="connected">Whether the relay connection was open (a not-sent answer while closed is no attempt).</param>
    public DeliveryAttempt Decide(PendingDelivery delivery, PublishOutcome outcome, bool connected)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(outcome);
        DateTimeOffset now = _time.GetUtcNow();
        int attempts = delivery.Attempts + 1;
        switch (outcome)
        {
            case PublishOutcome.Accepted accepted:
                return new DeliveryAttempt(delivery.EventNo, DeliveryStatus.Accepted, true, accepted.IsDuplicate ? "duplicate" : "accepted", accepted.Message, now);
            case PublishOutcome.Rejected rejected when IsFinal(rejected.Prefix):
                return new DeliveryAttempt(delivery.EventNo, DeliveryStatus.Failed, true, "rejected", rejected.Message, now);
            case PublishOutcome.RateLimited { Sent: false } cooling:
                // The pool held the event back during its own cooldown: the relay never saw it, so no attempt is spent.
                return new DeliveryAttempt(delivery.EventNo, DeliveryStatus.Pending, false, "cooling-down", cooling.Message, now + cooling.RetryAfter, now + cooling.RetryAfter);
            case PublishOutcome.RateLimited limited:
                TimeSpan wait = limited.RetryAfter > _options.RateLimitCooldown ? limited.RetryAfter : _options.RateLimitCooldown;
                return Retry(delivery, attempts, "rate-limited", limited.Message, now + wait, now + wait);
            case PublishOutcome.NotSent notSent when !connected:
                return new DeliveryAttempt(delivery.EventNo, DeliveryStatus.Pending, false, "not-connected", notSent.Reason, now);
            case PublishOutcome.NotSent notSent:
                // Connected but refused before sending: too large or against the relay's limits, which no retry changes.
                return new DeliveryAttempt(delivery.EventNo, DeliveryStatus.Failed, true, "not-sent", notSent.Reason, now);
            case PublishOutcome.Rejected rejected:
                return Retry(delivery, attempts, "rejected", rejected.Message, now + Backoff(attempts), null);
            case PublishOutcome.AuthRequired auth:
                return Retry(delivery, attempts, "auth-required", auth.Message, now + Backoff(attempts), null);
            case PublishOutcome.Timeout timeout:
                return Retry(delivery, attempts, "timeout", timeout.Reason, now + Backoff(attempts), null);
            default:
                return Retry(delivery, attempts, "unknown", outcome.Describe(), now + Backoff(attempts), null);
        }
    }

    /// <summary>Answers that no retry of the same signed event can change.</summary>
    public static bool IsFinal(MachineReadablePrefix prefix) =>
        prefix is MachineReadablePrefix.Invalid or MachineReadablePrefix.Blocked or MachineReadablePrefix.Restricted
            or MachineReadablePrefix.Pow or MachineReadablePrefix.Mute;

    private DeliveryAttempt Retry(PendingDelivery delivery, int attempts, string outcome, string message, DateTimeOffset next, DateTimeOffset? cooldown)
    {
        if (_options.MaxAttempts > 0 && attempts >= _options.MaxAttempts)
        {
            return new DeliveryAttempt(delivery.EventNo, DeliveryStatus.Failed, true, outcome, $"{message} (gave up after {attempts} attempts)", _time.GetUtcNow(), cooldown);
        }

        return new DeliveryAttempt(delivery.EventNo, DeliveryStatus.Pending, true, outcome, message, next, cooldown);
    }
}
