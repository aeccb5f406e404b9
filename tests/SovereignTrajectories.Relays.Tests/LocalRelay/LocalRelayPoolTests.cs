using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Filters;
using SovereignTrajectories.Relays.Publishing;
using SovereignTrajectories.Relays.Querying;
using SovereignTrajectories.Relays.Tests.Support;
using SovereignTrajectories.Testing;
using Relay = SovereignTrajectories.Testing.LocalRelay;

namespace SovereignTrajectories.Relays.Tests.LocalRelay;

/// <summary>The pool against the real local relay process (CodyTseng nostr-relay).</summary>
[Collection("local relay")]
public sealed class LocalRelayPoolTests(LocalRelayFixture fixture) : IClassFixture<LocalRelayFixture>, IDisposable
{
    private readonly TestEvents _events = new();

    public void Dispose() => _events.Dispose();

    [Fact]
    public async Task Publishes_and_reads_back_a_verified_event()
    {
        await using RelayPool pool = new(TestPools.Pool([fixture.Url]));
        await pool.ConnectAsync(TestPools.Guard());
        NostrEvent e = _events.Note("round trip");

        PublishResult published = await pool.PublishAsync(e, TestPools.Guard());
        QueryResult read = await pool.QueryAsync([new Filter { Ids = [e.Id] }], TestPools.Guard());

        Assert.True(published.QuorumReached, string.Join("; ", published.Relays));
        Assert.Equal(e, Assert.Single(read.Events));
        Assert.True(read.Complete);
        Assert.Equal(0, Assert.Single(read.Relays).Dropped);

        PublishResult again = await pool.PublishAsync(e, TestPools.Guard());
        Assert.True(again.QuorumReached);
    }

    [Fact]
    public async Task A_newer_addressable_event_replaces_the_older_one()
    {
        await using RelayPool pool = new(TestPools.Pool([fixture.Url]));
        await pool.ConnectAsync(TestPools.Guard());
        long t = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string d = "session-" + Guid.NewGuid().ToString("N");
        NostrEvent v1 = _events.Signed(new UnsignedEvent(t, 39230, [new Tag("d", d)], "{\"v\":1}"));
        NostrEvent v2 = _events.Signed(new UnsignedEvent(t + 1, 39230, [new Tag("d", d)], "{\"v\":2}"));

        Assert.True((await pool.PublishAsync(v1, TestPools.Guard())).QuorumReached);
        Assert.True((await pool.PublishAsync(v2, TestPools.Guard())).QuorumReached);
        QueryResult read = await pool.QueryAsync(
            [new Filter { Kinds = [39230], Authors = [_events.PubKey], Tags = new Dictionary<char, IReadOnlyList<string>> { ['d'] = [d] } }],
            TestPools.Guard());

        Assert.Equal(v2.Id, Assert.Single(read.Events).Id);
    }

    [Fact]
    public async Task Pages_past_the_relays_1000_event_cap()
    {
        const int count = 1500;
        // The relay checks signatures in JS at a few hundred events/s (less on a busy machine), so the
        // connection's window keeps a bounded number in flight, and each OK gets plenty of time: this
        // test is about paging.
        await using RelayPool pool = new(TestPools.Pool([fixture.Url], configure: o =>
        {
            o.PageSize = 5000;
            o.PublishTimeout = TimeSpan.FromMinutes(5);
        }));
        await pool.ConnectAsync(TestPools.Guard(600));
        long start = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - count - 10;
        NostrEvent[] events = Enumerable.Range(0, count).Select(i => _events.Note("page " + i, kind: 1, createdAt: start + i)).ToArray();

        PublishResult[] results = await Task.WhenAll(events.Select(e => pool.PublishAsync(e, TestPools.Guard(600))));
        Assert.All(results, r => Assert.True(r.QuorumReached, string.Join("; ", r.Relays)));

        QueryResult read = await pool.QueryAsync([new Filter { Authors = [_events.PubKey], Kinds = [1] }], TestPools.Guard(600));

        Assert.Equal(count, read.Events.Count);
        Assert.Equal(events.Select(e => e.Id).Order(StringComparer.Ordinal), read.Events.Select(e => e.Id).Order(StringComparer.Ordinal));
        RelayQueryReport report = Assert.Single(read.Relays);
        Assert.True(report.Completed);
        Assert.True(report.Pages >= 2, $"one page cannot hold {count} events on this relay; pages: {report.Pages}");
    }

    [Fact]
    public async Task Several_relays_at_once_with_a_quorum()
    {
        await using Relay second = await Relay.StartAsync();
        Uri dead = await FaultPublishTestsAccess.UnusedPortAsync();
        await using RelayPool quorumTwo = new(TestPools.Pool([fixture.Url, second.Url, dead], quorum: 2, configure: o => o.Reconnect = false));
        await using RelayPool quorumThree = new(TestPools.Pool([fixture.Url, second.Url, dead], quorum: 3, configure: o => o.Reconnect = false));
        Assert.Equal(2, await quorumTwo.ConnectAsync(TestPools.Guard()));
        await quorumThree.ConnectAsync(TestPools.Guard());
        NostrEvent e = _events.Note("quorum");

        PublishResult two = await quorumTwo.PublishAsync(e, TestPools.Guard());
        PublishResult three = await quorumThree.PublishAsync(e, TestPools.Guard());

        Assert.True(two.QuorumReached);
        Assert.Equal(2, two.AcceptedCount);
        Assert.IsType<PublishOutcome.NotSent>(two.Relays[2].Outcome);
        Assert.False(three.QuorumReached);
        Assert.Equal(2, three.AcceptedCount);
        QueryResult read = await quorumTwo.QueryAsync([new Filter { Ids = [e.Id] }], TestPools.Guard());
        Assert.Equal(e.Id, Assert.Single(read.Events).Id);
    }
}

/// <summary>Shared helpers without making the publish test class a dependency of this one.</summary>
internal static class FaultPublishTestsAccess
{
    public static Task<Uri> UnusedPortAsync() => Publishing.FaultPublishTests.UnusedPortAsync();
}
