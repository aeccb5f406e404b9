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
}
