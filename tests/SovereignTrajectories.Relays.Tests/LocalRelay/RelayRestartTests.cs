using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Filters;
using SovereignTrajectories.Relays.Publishing;
using SovereignTrajectories.Relays.Tests.Support;
using Relay = SovereignTrajectories.Testing.LocalRelay;

namespace SovereignTrajectories.Relays.Tests.LocalRelay;

/// <summary>A live subscription across a crash of the real relay process.</summary>
public sealed class RelayRestartTests : IDisposable
{
    private readonly TestEvents _events = new();

    public void Dispose() => _events.Dispose();

    [Fact]
    public async Task A_live_subscription_survives_the_relay_being_killed_and_restarted()
    {
        Relay relay = await Relay.StartAsync();
        try
        {
            await using RelayPool pool = new(TestPools.Pool([relay.Url]));
            await pool.ConnectAsync(TestPools.Guard());
            await using PoolSubscription sub = await pool.SubscribeAsync([new Filter { Authors = [_events.PubKey] }], TestPools.Guard());
            await using IAsyncEnumerator<NostrEvent> reader = sub.ReadAllAsync(TestPools.Guard(90)).GetAsyncEnumerator();

            NostrEvent before = _events.Note("before the crash");
            Assert.True((await pool.PublishAsync(before, TestPools.Guard())).QuorumReached);
            Assert.True(await reader.MoveNextAsync());
            Assert.Equal(before.Id, reader.Current.Id);

            await relay.KillAsync();
            relay = await relay.RestartAsync();
            await pool.Relays[0].WaitUntilConnectedAsync(TestPools.Guard(90));

            NostrEvent after = _events.Note("after the restart");
            PublishResult published = await pool.PublishAsync(after, TestPools.Guard());
            Assert.True(published.QuorumReached, string.Join("; ", published.Relays));
            Assert.True(await reader.MoveNextAsync());
            Assert.Equal(after.Id, reader.Current.Id);
            Assert.True(pool.GetStatistics()[0].Connects >= 2);
        }
        finally
        {
            await relay.DisposeAsync();
        }
    }
}
