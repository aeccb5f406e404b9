using SovereignTrajectories.Nostr.Messages;
using SovereignTrajectories.Relays.Publishing;
using SovereignTrajectories.Worker.Configuration;
using SovereignTrajectories.Worker.Delivery;
using SovereignTrajectories.Worker.Outbox;

namespace SovereignTrajectories.Worker.Tests.Delivery;

public sealed class DeliveryPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 6, 0, 0, TimeSpan.Zero);

    private static readonly DeliveryOptions Options = new()
    {
        BaseRetryDelay = TimeSpan.FromSeconds(1),
        MaxRetryDelay = TimeSpan.FromSeconds(60),
        Jitter = 0.2,
        RateLimitCooldown = TimeSpan.FromSeconds(10),
    };

    [Theory]
    [InlineData(MachineReadablePrefix.Invalid)]
    [InlineData(MachineReadablePrefix.Blocked)]
    [InlineData(MachineReadablePrefix.Restricted)]
    [InlineData(MachineReadablePrefix.Pow)]
    public void Invalid_or_blocked_answers_give_up_with_the_reason_recorded(MachineReadablePrefix prefix)
    {
        DeliveryAttempt a = Policy().Decide(Pending(0), new PublishOutcome.Rejected(prefix, "the relay's words"), connected: true);

        Assert.Equal(DeliveryStatus.Failed, a.Status);
        Assert.Equal("the relay's words", a.Message);
        Assert.True(a.CountsAsAttempt);
    }

    [Fact]
    public void Other_rejections_timeouts_and_auth_failures_are_retried_after_a_backoff()
    {
        DeliveryPolicy policy = Policy(random: 0.5);
        PublishOutcome[] outcomes =
        [
            new PublishOutcome.Rejected(MachineReadablePrefix.Error, "error: db busy"),
            new PublishOutcome.Timeout(TimeSpan.FromSeconds(10), "no OK"),
            new PublishOutcome.AuthRequired("auth-required: who are you"),
        ];
        foreach (PublishOutcome outcome in outcomes)
        {
            DeliveryAttempt a = policy.Decide(Pending(2), outcome, connected: true);
            Assert.Equal(DeliveryStatus.Pending, a.Status);
            Assert.Equal(Now + TimeSpan.FromSeconds(4), a.NextAttemptAt);
        }
    }

    [Fact]
    public void Rate_limited_waits_at_least_the_configured_cooldown_or_the_relays_longer_hint()
    {
        DeliveryPolicy policy = Policy();

        DeliveryAttempt shortHint = policy.Decide(Pending(0), new PublishOutcome.RateLimited(TimeSpan.FromSeconds(1), "rate-limited: slow down"), connected: true);
        DeliveryAttempt longHint = policy.Decide(Pending(0), new PublishOutcome.RateLimited(TimeSpan.FromSeconds(30), "rate-limited: slow down"), connected: true);

        Assert.Equal(Now + TimeSpan.FromSeconds(10), shortHint.NextAttemptAt);
        Assert.Equal(Now + TimeSpan.FromSeconds(10), shortHint.RelayCooldownUntil);
        Assert.Equal(Now + TimeSpan.FromSeconds(30), longHint.NextAttemptAt);
        Assert.Equal(DeliveryStatus.Pending, longHint.Status);
    }

    [Fact]
    public void An_event_the_pool_held_back_during_its_rate_limit_cooldown_costs_no_attempt()
    {
        var held = new PublishOutcome.RateLimited(TimeSpan.FromSeconds(4), "cooling down after the relay said rate-limited; not sent", Sent: false);

        DeliveryAttempt a = Policy().Decide(Pending(5), held, connected: true);

        Assert.Equal(DeliveryStatus.Pending, a.Status);
        Assert.False(a.CountsAsAttempt);
        Assert.Equal(Now + TimeSpan.FromSeconds(4), a.NextAttemptAt);
    }

    [Fact]
    public void A_relay_that_is_not_connected_costs_no_attempt()
    {
        DeliveryAttempt a = Policy().Decide(Pending(3), new PublishOutcome.NotSent("not connected to ws://x"), connected: false);

        Assert.Equal(DeliveryStatus.Pending, a.Status);
        Assert.False(a.CountsAsAttempt);
    }

    [Fact]
    public void An_event_the_connected_relay_cannot_take_is_given_up()
    {
        DeliveryAttempt a = Policy().Decide(Pending(0), new PublishOutcome.NotSent("breaks the relay's NIP-11 limits: too large"), connected: true);

        Assert.Equal(DeliveryStatus.Failed, a.Status);
        Assert.Contains("too large", a.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Backoff_doubles_stays_within_the_jitter_and_stops_at_the_maximum()
    {
        for (int attempts = 1; attempts <= 12; attempts++)
        {
            double nominal = Math.Min(Math.Pow(2, attempts - 1), 60);
            TimeSpan low = Policy(random: 0).Backoff(attempts);
            TimeSpan high = Policy(random: 0.999999).Backoff(attempts);
            Assert.Equal(nominal * 0.8, low.TotalSeconds, 3);
            Assert.InRange(high.TotalSeconds, nominal * 1.19, nominal * 1.2);
        }
    }

    [Fact]
    public void A_configured_attempt_limit_gives_up_with_the_last_reason()
    {
        var options = new DeliveryOptions { MaxAttempts = 3 };
        var policy = new DeliveryPolicy(options, new FixedTime(Now), () => 0.5);

        DeliveryAttempt third = policy.Decide(Pending(2), new PublishOutcome.Timeout(TimeSpan.FromSeconds(1), "no OK"), connected: true);
        DeliveryAttempt second = policy.Decide(Pending(1), new PublishOutcome.Timeout(TimeSpan.FromSeconds(1), "no OK"), connected: true);

        Assert.Equal(DeliveryStatus.Failed, third.Status);
        Assert.Contains("gave up after 3 attempts", third.Message, StringComparison.Ordinal);
        Assert.Equal(DeliveryStatus.Pending, second.Status);
    }

    [Fact]
    public void Accepted_and_duplicate_both_count_as_delivered()
    {
        Assert.Equal(DeliveryStatus.Accepted, Policy().Decide(Pending(0), new PublishOutcome.Accepted(string.Empty), connected: true).Status);
        DeliveryAttempt dup = Policy().Decide(Pending(0), new PublishOutcome.Accepted("duplicate: have it", IsDuplicate: true), connected: true);
        Assert.Equal(DeliveryStatus.Accepted, dup.Status);
        Assert.Equal("duplicate", dup.Outcome);
    }

    private static DeliveryPolicy Policy(double random = 0.5) => new(Options, new FixedTime(Now), () => random);

    private static PendingDelivery Pending(int attempts) => new(1, new string('a', 64), "39230:x:y", "{}", attempts);

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
