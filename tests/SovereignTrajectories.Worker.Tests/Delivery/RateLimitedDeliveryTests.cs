using System.Diagnostics;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Testing;
using SovereignTrajectories.Worker.Outbox;
using SovereignTrajectories.Worker.Pipeline;
using SovereignTrajectories.Worker.Tests.EndToEnd;

namespace SovereignTrajectories.Worker.Tests.Delivery;

public sealed class RateLimitedDeliveryTests
{
    [Fact]
    public async Task A_relay_answering_rate_limited_gets_every_event_once_more_after_the_cooldown_and_no_more()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using LocalRelay real = await LocalRelay.StartAsync(ct: cts.Token);
        await using RateLimitingRelay limiter = await RateLimitingRelay.StartAsync();
        TimeSpan cooldown = TimeSpan.FromMilliseconds(500);
        await using TestWorker w = await TestWorker.CreateAsync([real.Url, limiter.Url], quorum: 1, settings: new Dictionary<string, string?>
        {
            ["SovereignTrajectories:Delivery:RateLimitCooldown"] = "00:00:00.500",
        });

        CommitResult one = await w.Publisher.CommitAsync(TestRuns.Run("rl-1", 5), null, cts.Token);
        CommitResult two = await w.Publisher.CommitAsync(TestRuns.Run("rl-2", 6, start: TestRuns.Start.AddHours(1)), null, cts.Token);
        await w.Notifications.WhenDrainedAsync(cts.Token);

        IReadOnlyList<NostrEvent> events = [.. await w.Store.GetEventsAsync(one.Coordinate, cts.Token), .. await w.Store.GetEventsAsync(two.Coordinate, cts.Token)];
        OutboxStatus status = await w.Store.GetStatusAsync(cts.Token);
        Assert.Equal(0, status.FailedDeliveries);
        RelayHealth limited = status.Relays.Single(r => r.Relay == limiter.Url.ToString().TrimEnd('/'));
        Assert.Equal(0, limited.Pending);

        // Superseded session versions may never be offered; everything that was offered was offered exactly twice.
        foreach (NostrEvent e in events.Where(e => e.Kind != 39230))
        {
            Assert.True(limiter.Offers.TryGetValue(e.Id, out List<long>? offers), $"event {e.Id} (kind {e.Kind}) never reached the rate-limiting relay");
            Assert.Equal(2, offers.Count);
            Assert.True(Stopwatch.GetElapsedTime(offers[0], offers[1]) >= cooldown * 0.8, "retried before the cooldown (less the policy's jitter)");
        }

        Assert.All(limiter.Offers.Values, o => Assert.Equal(2, o.Count));
    }

    [Fact]
    public async Task A_relay_rate_limiting_the_first_three_offers_gets_each_event_on_the_fourth_attempt_spaced_by_the_cooldown()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using LocalRelay real = await LocalRelay.StartAsync(ct: cts.Token);
        await using RateLimitingRelay limiter = await RateLimitingRelay.StartAsync(limitFirst: 3);
        TimeSpan cooldown = TimeSpan.FromMilliseconds(300);
        await using TestWorker w = await TestWorker.CreateAsync([real.Url, limiter.Url], quorum: 1, settings: new Dictionary<string, string?>
        {
            ["SovereignTrajectories:Delivery:RateLimitCooldown"] = "00:00:00.300",
            ["SovereignTrajectories:Delivery:MaxAttempts"] = "6",
        });

        await w.Publisher.CommitAsync(TestRuns.Run("rl3-1", 5), null, cts.Token);
        await w.Notifications.WhenDrainedAsync(cts.Token);

        string relay = limiter.Url.ToString().TrimEnd('/');
        IReadOnlyList<DeliveryRecord> deliveries = await w.Store.GetDeliveriesAsync(relay, cts.Token);
        Assert.NotEmpty(deliveries);
        foreach (DeliveryRecord d in deliveries.Where(d => d.Status != DeliveryStatus.Superseded))
        {
            // Three rate-limited answers and one OK: four counted attempts, inside the policy's six.
            Assert.Equal(DeliveryStatus.Accepted, d.Status);
            Assert.InRange(d.Attempts, 4, 6);
            List<long> offers = limiter.Offers[d.EventId];
            Assert.InRange(offers.Count, 4, 6);
            for (int i = 1; i < offers.Count; i++)
            {
                Assert.True(Stopwatch.GetElapsedTime(offers[i - 1], offers[i]) >= cooldown * 0.95, $"event {d.EventId}: offer {i + 1} came before the cooldown");
            }
        }
    }

    [Fact]
    public async Task A_relay_that_keeps_rate_limiting_past_the_attempt_limit_is_given_up_with_the_reason_and_no_extra_sends()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using LocalRelay real = await LocalRelay.StartAsync(ct: cts.Token);
        await using RateLimitingRelay limiter = await RateLimitingRelay.StartAsync(limitFirst: 100);
        await using TestWorker w = await TestWorker.CreateAsync([real.Url, limiter.Url], quorum: 1, settings: new Dictionary<string, string?>
        {
            ["SovereignTrajectories:Delivery:RateLimitCooldown"] = "00:00:00.100",
            ["SovereignTrajectories:Delivery:MaxAttempts"] = "3",
        });

        await w.Publisher.CommitAsync(TestRuns.Run("rl-giveup", 4), null, cts.Token);
        await w.Notifications.WhenDrainedAsync(cts.Token);

        IReadOnlyList<DeliveryRecord> deliveries = await w.Store.GetDeliveriesAsync(limiter.Url.ToString().TrimEnd('/'), cts.Token);
        Assert.NotEmpty(deliveries);
        foreach (DeliveryRecord d in deliveries.Where(d => d.Status != DeliveryStatus.Superseded))
        {
            Assert.Equal(DeliveryStatus.Failed, d.Status);
            Assert.Equal(3, d.Attempts);
            Assert.Equal("rate-limited", d.LastOutcome);

            // A send refused inside the relay's cooldown counts as an attempt without reaching the relay, so the relay may see fewer; never more.
            Assert.InRange(limiter.Offers.TryGetValue(d.EventId, out List<long>? offers) ? offers.Count : 0, 1, 3);
        }

        // The real relay still got everything: one relay giving up does not hold back the others.
        Assert.All(await w.Store.GetDeliveriesAsync(real.Url.ToString().TrimEnd('/'), cts.Token), d => Assert.NotEqual(DeliveryStatus.Failed, d.Status));
    }
}
