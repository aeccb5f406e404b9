using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Worker.Outbox;
using SovereignTrajectories.Worker.Pipeline;
using SovereignTrajectories.Worker.Tests.EndToEnd;

namespace SovereignTrajectories.Worker.Tests.Delivery;

public sealed class SlidingWindowDeliveryTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(16)]
    public async Task A_slow_relay_gets_every_event_exactly_once_and_never_more_than_the_window_unanswered(int window)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using SlowAckRelay relay = await SlowAckRelay.StartAsync(TimeSpan.FromMilliseconds(5));
        await using TestWorker w = await TestWorker.CreateAsync([relay.Url], quorum: 1, settings: new Dictionary<string, string?>
        {
            ["SovereignTrajectories:Delivery:MaxInFlightPerRelay"] = window.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

        CommitResult one = await w.Publisher.CommitAsync(TestRuns.Run("window-1", 12), null, cts.Token);
        CommitResult two = await w.Publisher.CommitAsync(TestRuns.Run("window-2", 9, start: TestRuns.Start.AddHours(1)), null, cts.Token);
        await w.Notifications.WhenSessionPublishedAsync(one.Coordinate, cts.Token);
        await w.Notifications.WhenSessionPublishedAsync(two.Coordinate, cts.Token);
        await w.Notifications.WhenDrainedAsync(cts.Token);

        IReadOnlyList<DeliveryRecord> deliveries = await w.Store.GetDeliveriesAsync(relay.Url.ToString().TrimEnd('/'), cts.Token);
        Assert.All(deliveries.Where(d => d.Status != DeliveryStatus.Superseded), d => Assert.Equal(DeliveryStatus.Accepted, d.Status));
        IReadOnlyList<NostrEvent> steps = [.. (await w.Store.GetEventsAsync(one.Coordinate, cts.Token)).Where(e => e.Kind == 39231), .. (await w.Store.GetEventsAsync(two.Coordinate, cts.Token)).Where(e => e.Kind == 39231)];
        Assert.Equal(21, steps.Count);

        // A delivery on the wire is never taken again while its answer is outstanding or not yet recorded.
        Assert.All(steps, e => Assert.Equal(1, relay.Offers.GetValueOrDefault(e.Id)));
        Assert.All(relay.Offers.Values, n => Assert.Equal(1, n));
        Assert.InRange(relay.PeakUnanswered, 1, window);
    }
}
