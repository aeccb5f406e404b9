using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Testing;
using SovereignTrajectories.Trajectories.Mapping;
using SovereignTrajectories.Worker.Outbox;
using SovereignTrajectories.Worker.Pipeline;
using SovereignTrajectories.Worker.Tests.Delivery;

namespace SovereignTrajectories.Worker.Tests.EndToEnd;

/// <summary>Relays that are down or restart while the worker publishes: every event still reaches every relay.</summary>
public sealed class RelayFaultTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task A_relay_down_for_the_first_half_and_one_restarted_mid_run_still_receive_every_event()
    {
        using var cts = new CancellationTokenSource(Bound);
        await using LocalRelay a = await LocalRelay.StartAsync(ct: cts.Token);
        LocalRelay down = await LocalRelay.StartAsync(ct: cts.Token);
        LocalRelay flaky = await LocalRelay.StartAsync(ct: cts.Token);
        await down.KillAsync();
        Uri[] urls = [a.Url, down.Url, flaky.Url];
        await using TestWorker w = await TestWorker.CreateAsync(urls, quorum: 2);
        try
        {
            var first = new List<CommitResult>();
            for (int i = 0; i < 3; i++)
            {
                first.Add(await w.Publisher.CommitAsync(TestRuns.Run($"fault-a{i}", 8, start: TestRuns.Start.AddHours(i)), null, cts.Token));
            }

            // Quorum 2 of 3 is reachable with one relay down.
            foreach (CommitResult r in first)
            {
                await w.Notifications.WhenSessionPublishedAsync(r.Coordinate, cts.Token);
            }

            down = await down.RestartAsync(cts.Token);
            flaky = await flaky.RestartAsync(cts.Token);
            var second = new List<CommitResult>();
            for (int i = 0; i < 3; i++)
            {
                second.Add(await w.Publisher.CommitAsync(TestRuns.Run($"fault-b{i}", 8, start: TestRuns.Start.AddHours(10 + i)), null, cts.Token));
            }

            await w.Notifications.WhenDrainedAsync(cts.Token);
            OutboxStatus status = await w.Store.GetStatusAsync(cts.Token);
            Assert.Equal(0, status.FailedDeliveries);
            Assert.Equal(6, status.SessionsPublished);

            foreach (Uri relay in urls)
            {
                IReadOnlyList<NostrEvent> held = await RelayReadBack.QueryAsync(relay, w.Publisher.PublicKeyHex, cts.Token);
                foreach (CommitResult r in first.Concat(second))
                {
                    TrajectoryReadResult read = TrajectoryEventReader.Read(held.Where(e => e.Kind != 39211), r.Sid);
                    Assert.Equal(8, read.Trajectory.Steps.Count);
                    Assert.Equal(r.LatestSessionId, read.Session.Id);
                }
            }
        }
        finally
        {
            await down.DisposeAsync();
            await flaky.DisposeAsync();
        }
    }

    [Fact]
    public async Task Down_for_the_first_half_restarted_mid_run_and_rate_limiting_relays_all_receive_every_event_within_the_attempt_policy()
    {
        using var cts = new CancellationTokenSource(Bound);
        LocalRelay down = await LocalRelay.StartAsync(ct: cts.Token);
        LocalRelay flaky = await LocalRelay.StartAsync(ct: cts.Token);
        await using RateLimitingRelay limiter = await RateLimitingRelay.StartAsync(limitFirst: 2);
        await down.KillAsync();
        const int MaxAttempts = 40;
        await using TestWorker w = await TestWorker.CreateAsync([down.Url, flaky.Url, limiter.Url], quorum: 2, settings: new Dictionary<string, string?>
        {
            ["SovereignTrajectories:Delivery:RateLimitCooldown"] = "00:00:00.200",
            ["SovereignTrajectories:Delivery:MaxAttempts"] = MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        try
        {
            var commits = new List<CommitResult>();
            for (int i = 0; i < 3; i++)
            {
                commits.Add(await w.Publisher.CommitAsync(TestRuns.Run($"fault3-a{i}", 7, start: TestRuns.Start.AddHours(i)), null, cts.Token));
            }

            // Quorum 2 of 3 with one relay down: the restarted and the rate-limiting relays carry it.
            foreach (CommitResult r in commits)
            {
                await w.Notifications.WhenSessionPublishedAsync(r.Coordinate, cts.Token);
            }

            down = await down.RestartAsync(cts.Token);
            flaky = await flaky.RestartAsync(cts.Token);
            for (int i = 0; i < 3; i++)
            {
                commits.Add(await w.Publisher.CommitAsync(TestRuns.Run($"fault3-b{i}", 7, start: TestRuns.Start.AddHours(10 + i)), null, cts.Token));
            }

            await w.Notifications.WhenDrainedAsync(cts.Token);
            OutboxStatus status = await w.Store.GetStatusAsync(cts.Token);
            Assert.Equal(0, status.FailedDeliveries);
            Assert.Equal(6, status.SessionsPublished);

            foreach (Uri relay in new[] { down.Url, flaky.Url, limiter.Url })
            {
                IReadOnlyList<DeliveryRecord> deliveries = await w.Store.GetDeliveriesAsync(relay.ToString().TrimEnd('/'), cts.Token);
                Assert.All(deliveries.Where(d => d.Status != DeliveryStatus.Superseded), d =>
                {
                    Assert.Equal(DeliveryStatus.Accepted, d.Status);
                    Assert.InRange(d.Attempts, 1, MaxAttempts);
                });
            }

            // The rate-limiting relay answers OK from the third offer of an event on: each accepted event was offered at least
            // three times and never more than the policy allows.
            foreach (DeliveryRecord d in (await w.Store.GetDeliveriesAsync(limiter.Url.ToString().TrimEnd('/'), cts.Token)).Where(d => d.Status == DeliveryStatus.Accepted))
            {
                Assert.InRange(limiter.Offers[d.EventId].Count, 3, MaxAttempts);
            }

            foreach (Uri relay in new[] { down.Url, flaky.Url })
            {
                IReadOnlyList<NostrEvent> held = await RelayReadBack.QueryAsync(relay, w.Publisher.PublicKeyHex, cts.Token);
                foreach (CommitResult r in commits)
                {
                    TrajectoryReadResult read = TrajectoryEventReader.Read(held.Where(e => e.Kind != 39211), r.Sid);
                    Assert.Equal(7, read.Trajectory.Steps.Count);
                    Assert.Equal(r.LatestSessionId, read.Session.Id);
                }
            }
        }
        finally
        {
            await down.DisposeAsync();
            await flaky.DisposeAsync();
        }
    }
}
