using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Testing;
using SovereignTrajectories.Trajectories.Mapping;
using SovereignTrajectories.Worker.Outbox;
using SovereignTrajectories.Worker.Pipeline;

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
}
