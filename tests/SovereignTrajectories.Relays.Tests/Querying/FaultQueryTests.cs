using System.Text.Json;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Filters;
using SovereignTrajectories.Nostr.Messages;
using SovereignTrajectories.Relays.Auth;
using SovereignTrajectories.Relays.Querying;
using SovereignTrajectories.Relays.Tests.Support;

namespace SovereignTrajectories.Relays.Tests.Querying;

/// <summary>Query faults from the relay double, each with its exact outcome.</summary>
public sealed class FaultQueryTests : IDisposable
{
    private readonly TestEvents _events = new();

    public void Dispose() => _events.Dispose();

    [Fact]
    public async Task Forged_and_unmatched_events_are_dropped_counted_and_never_returned()
    {
        NostrEvent good = _events.Note("good");
        NostrEvent badSig = _events.Note("bad sig") with { Sig = _events.Note("other").Sig };
        NostrEvent badId = good with { Content = "tampered" };
        NostrEvent otherKind = _events.Note("kind 7", kind: 7);
        int reqs = 0;
        await using FaultRelay relay = await FaultRelay.StartAsync(async (s, f) =>
        {
            if (f.Type != "REQ")
            {
                return;
            }

            // Only the first page has anything; the pager's follow-up page gets EOSE alone.
            NostrEvent[] page = Interlocked.Increment(ref reqs) == 1 ? [badSig, badId, otherKind, good, good] : [];
            foreach (NostrEvent e in page)
            {
                await s.SendAsync($"[\"EVENT\",\"{f.SubscriptionId}\",{CanonicalJson.Serialize(e)}]");
            }

            await s.SendAsync($"[\"EOSE\",\"{f.SubscriptionId}\"]");
        });
        await using RelayPool pool = new(TestPools.Pool([relay.Url]));
        await pool.ConnectAsync(TestPools.Guard());

        QueryResult result = await pool.QueryAsync([new Filter { Kinds = [1], Authors = [_events.PubKey] }], TestPools.Guard());

        Assert.Equal([good.Id], result.Events.Select(e => e.Id));
        RelayQueryReport report = Assert.Single(result.Relays);
        Assert.Equal(2, report.DroppedInvalid);
        Assert.Equal(1, report.DroppedUnmatched);
        Assert.True(report.Completed);
        Assert.Equal(3, pool.GetStatistics()[0].Dropped);
    }

    [Fact]
    public async Task Closed_ends_the_query_for_that_relay_with_its_prefix_and_message()
    {
        await using FaultRelay relay = await FaultRelay.StartAsync((s, f) =>
            f.Type == "REQ" ? s.SendAsync($"[\"CLOSED\",\"{f.SubscriptionId}\",\"error: shutting down\"]") : Task.CompletedTask);
        await using RelayPool pool = new(TestPools.Pool([relay.Url]));
        await pool.ConnectAsync(TestPools.Guard());

        QueryResult result = await pool.QueryAsync([new Filter { Kinds = [1] }], TestPools.Guard());

        Assert.Empty(result.Events);
        RelayQueryReport report = Assert.Single(result.Relays);
        Assert.False(report.Completed);
        Assert.Equal(MachineReadablePrefix.Error, report.ClosedPrefix);
        Assert.Contains("error: shutting down", report.Error, StringComparison.Ordinal);
        Assert.False(result.Complete);
    }

    [Fact]
    public async Task Auth_required_on_req_authenticates_and_resubscribes()
    {
        NostrEvent stored = _events.Note("members only");
        bool authed = false;
        await using FaultRelay relay = await FaultRelay.StartAsync(
            async (s, f) =>
            {
                switch (f.Type)
                {
                    case "AUTH":
                        authed = true;
                        await s.OkAsync(f.EventId!, true, string.Empty);
                        break;
                    case "REQ" when !authed:
                        await s.SendAsync($"[\"CLOSED\",\"{f.SubscriptionId}\",\"auth-required: members only\"]");
                        break;
                    case "REQ":
                        await s.SendAsync($"[\"EVENT\",\"{f.SubscriptionId}\",{CanonicalJson.Serialize(stored)}]");
                        await s.SendAsync($"[\"EOSE\",\"{f.SubscriptionId}\"]");
                        break;
                }
            },
            onConnect: s => s.SendAsync("[\"AUTH\",\"read-challenge\"]"));
        await using RelayPool pool = new(TestPools.Pool([relay.Url]), new SecretKeyAuthSigner(_events.Key));
        await pool.ConnectAsync(TestPools.Guard());

        QueryResult result = await pool.QueryAsync([new Filter { Ids = [stored.Id] }], TestPools.Guard());

        Assert.Equal([stored.Id], result.Events.Select(e => e.Id));
        Assert.True(result.Complete);
        Assert.True(pool.Relays[0].IsAuthenticated);
    }

    [Fact]
    public async Task Auth_required_on_req_without_a_signer_is_surfaced_as_closed()
    {
        await using FaultRelay relay = await FaultRelay.StartAsync((s, f) =>
            f.Type == "REQ" ? s.SendAsync($"[\"CLOSED\",\"{f.SubscriptionId}\",\"auth-required: members only\"]") : Task.CompletedTask);
        await using RelayPool pool = new(TestPools.Pool([relay.Url]));
        await pool.ConnectAsync(TestPools.Guard());

        QueryResult result = await pool.QueryAsync([new Filter { Kinds = [1] }], TestPools.Guard());

        RelayQueryReport report = Assert.Single(result.Relays);
        Assert.Equal(MachineReadablePrefix.AuthRequired, report.ClosedPrefix);
        Assert.False(report.Completed);
    }

    [Fact]
    public async Task Pages_backwards_with_until_past_a_relay_that_silently_caps_limit()
    {
        const int total = 730;
        const int cap = 100;
        long start = 1_700_000_000;
        NostrEvent[] stored = Enumerable.Range(0, total).Select(i => _events.Note("p" + i, createdAt: start + i)).ToArray();
        var reqs = new List<JsonElement>();
        await using FaultRelay relay = await FaultRelay.StartAsync(async (s, f) =>
        {
            if (f.Type != "REQ")
            {
                return;
            }

            JsonElement filter = f.Root[2];
            lock (reqs)
            {
                reqs.Add(filter.Clone());
            }

            long until = filter.TryGetProperty("until", out JsonElement u) ? u.GetInt64() : long.MaxValue;
            int limit = filter.TryGetProperty("limit", out JsonElement l) ? Math.Min(l.GetInt32(), cap) : cap;
            foreach (NostrEvent e in stored.Where(e => e.CreatedAt <= until).OrderByDescending(e => e.CreatedAt).Take(limit))
            {
                await s.SendAsync($"[\"EVENT\",\"{f.SubscriptionId}\",{CanonicalJson.Serialize(e)}]");
            }

            await s.SendAsync($"[\"EOSE\",\"{f.SubscriptionId}\"]");
        });
        await using RelayPool pool = new(TestPools.Pool([relay.Url], configure: o => o.PageSize = 1000));
        await pool.ConnectAsync(TestPools.Guard());

        QueryResult result = await pool.QueryAsync([new Filter { Authors = [_events.PubKey] }], TestPools.Guard());

        Assert.Equal(stored.Select(e => e.Id).Order(StringComparer.Ordinal), result.Events.Select(e => e.Id).Order(StringComparer.Ordinal));
        Assert.True(result.Complete);
        Assert.True(reqs.Count >= 8, $"expected at least 8 pages, got {reqs.Count}");
        Assert.True(reqs.Skip(1).All(r => r.TryGetProperty("until", out _)));
    }

    [Fact]
    public async Task A_filter_limit_is_respected_across_pages()
    {
        long start = 1_700_000_000;
        NostrEvent[] stored = Enumerable.Range(0, 50).Select(i => _events.Note("l" + i, createdAt: start + i)).ToArray();
        await using FaultRelay relay = await FaultRelay.StartAsync(async (s, f) =>
        {
            if (f.Type != "REQ")
            {
                return;
            }

            JsonElement filter = f.Root[2];
            long until = filter.TryGetProperty("until", out JsonElement u) ? u.GetInt64() : long.MaxValue;
            int limit = Math.Min(filter.GetProperty("limit").GetInt32(), 10);
            foreach (NostrEvent e in stored.Where(e => e.CreatedAt <= until).OrderByDescending(e => e.CreatedAt).Take(limit))
            {
                await s.SendAsync($"[\"EVENT\",\"{f.SubscriptionId}\",{CanonicalJson.Serialize(e)}]");
            }

            await s.SendAsync($"[\"EOSE\",\"{f.SubscriptionId}\"]");
        });
        await using RelayPool pool = new(TestPools.Pool([relay.Url]));
        await pool.ConnectAsync(TestPools.Guard());

        QueryResult result = await pool.QueryAsync([new Filter { Authors = [_events.PubKey], Limit = 25 }], TestPools.Guard());

        Assert.Equal(25, result.Events.Count);
        Assert.Equal(stored.Skip(25).Select(e => e.Id).Order(StringComparer.Ordinal), result.Events.Select(e => e.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Streaming_yields_each_verified_event_once_across_relays()
    {
        NostrEvent a = _events.Note("a");
        NostrEvent b = _events.Note("b");
        Func<FaultSession, ClientFrame, Task> Serve(params NostrEvent[] events)
        {
            int reqs = 0;
            return async (s, f) =>
            {
                if (f.Type != "REQ")
                {
                    return;
                }

                foreach (NostrEvent e in Interlocked.Increment(ref reqs) == 1 ? events : [])
            {
                await s.SendAsync($"[\"EVENT\",\"{f.SubscriptionId}\",{CanonicalJson.Serialize(e)}]");
            }

                await s.SendAsync($"[\"EOSE\",\"{f.SubscriptionId}\"]");
            };
        }

        await using FaultRelay one = await FaultRelay.StartAsync(Serve(a, b));
        await using FaultRelay two = await FaultRelay.StartAsync(Serve(b, a with { Content = "forged" }));
        await using RelayPool pool = new(TestPools.Pool([one.Url, two.Url]));
        await pool.ConnectAsync(TestPools.Guard());

        var seen = new List<string>();
        await foreach (NostrEvent e in pool.StreamAsync([new Filter { Authors = [_events.PubKey] }], TestPools.Guard()))
        {
            seen.Add(e.Id);
        }

        Assert.Equal(new[] { a.Id, b.Id }.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
        Assert.Equal(1, pool.GetStatistics()[1].DroppedInvalid);
    }

    [Fact]
    public async Task A_relay_that_never_sends_eose_times_out_without_hanging_the_query()
    {
        var time = new FakeTimeProvider();
        await using FaultRelay silent = await FaultRelay.StartAsync((_, _) => Task.CompletedTask);
        await using var pool = new RelayPool(TestPools.Pool([silent.Url], configure: o => o.QueryTimeout = TimeSpan.FromSeconds(9)), time: time);
        await pool.ConnectAsync(TestPools.Guard());

        Task<QueryResult> query = pool.QueryAsync([new Filter { Kinds = [1] }], TestPools.Guard());
        await silent.NextAsync("REQ", TestPools.Guard());
        await time.WaitForActiveTimersAsync(1, TestPools.Guard());
        time.Advance(TimeSpan.FromSeconds(9));
        QueryResult result = await query;

        RelayQueryReport report = Assert.Single(result.Relays);
        Assert.False(report.Completed);
        Assert.Contains("no EOSE", report.Error, StringComparison.Ordinal);
    }
}
