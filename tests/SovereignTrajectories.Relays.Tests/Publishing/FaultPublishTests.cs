using System.Text;
using System.Text.Json;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Filters;
using SovereignTrajectories.Nostr.Messages;
using SovereignTrajectories.Relays.Auth;
using SovereignTrajectories.Relays.Configuration;
using SovereignTrajectories.Relays.Connections;
using SovereignTrajectories.Relays.Publishing;
using SovereignTrajectories.Relays.Tests.Support;

namespace SovereignTrajectories.Relays.Tests.Publishing;

/// <summary>Every publish fault the relay double can produce, each with its exact outcome.</summary>
public sealed class FaultPublishTests : IDisposable
{
    private readonly TestEvents _events = new();

    public void Dispose() => _events.Dispose();

    [Theory]
    [InlineData("blocked: you are banned", MachineReadablePrefix.Blocked)]
    [InlineData("invalid: bad created_at", MachineReadablePrefix.Invalid)]
    [InlineData("pow: difficulty 30 required", MachineReadablePrefix.Pow)]
    [InlineData("restricted: members only", MachineReadablePrefix.Restricted)]
    [InlineData("mute: no one is listening", MachineReadablePrefix.Mute)]
    [InlineData("error: database is full", MachineReadablePrefix.Error)]
    [InlineData("duplicate: but refused anyway", MachineReadablePrefix.Duplicate)]
    [InlineData("no prefix at all", MachineReadablePrefix.None)]
    public async Task Rejection_is_reported_with_its_prefix_and_message_and_never_as_delivered(string message, MachineReadablePrefix prefix)
    {
        await using FaultRelay relay = await FaultRelay.StartAsync((s, f) => f.Type == "EVENT" ? s.OkAsync(f.EventId!, false, message) : Task.CompletedTask);
        await using RelayPool pool = new(TestPools.Pool([relay.Url]));
        await pool.ConnectAsync(TestPools.Guard());

        PublishResult result = await pool.PublishAsync(_events.Note(), TestPools.Guard());

        var rejected = Assert.IsType<PublishOutcome.Rejected>(Assert.Single(result.Relays).Outcome);
        Assert.Equal(prefix, rejected.Prefix);
        Assert.Equal(message, rejected.Message);
        Assert.False(result.QuorumReached);
        Assert.Equal(0, result.AcceptedCount);
    }

    [Theory]
    [InlineData("")]
    [InlineData("duplicate: already have this event")]
    public async Task Ok_true_is_accepted_including_duplicates(string message)
    {
        await using FaultRelay relay = await FaultRelay.StartAsync((s, f) => f.Type == "EVENT" ? s.OkAsync(f.EventId!, true, message) : Task.CompletedTask);
        await using RelayPool pool = new(TestPools.Pool([relay.Url]));
        await pool.ConnectAsync(TestPools.Guard());

        PublishResult result = await pool.PublishAsync(_events.Note(), TestPools.Guard());

        var accepted = Assert.IsType<PublishOutcome.Accepted>(Assert.Single(result.Relays).Outcome);
        Assert.Equal(message.Length > 0, accepted.IsDuplicate);
        Assert.True(result.QuorumReached);
    }

    [Fact]
    public async Task Publishing_connects_the_pool_on_first_use()
    {
        await using FaultRelay relay = await FaultRelay.StartAsync((s, f) => f.Type == "EVENT" ? s.OkAsync(f.EventId!, true, string.Empty) : Task.CompletedTask);
        await using RelayPool pool = new(TestPools.Pool([relay.Url]));

        PublishResult result = await pool.PublishAsync(_events.Note(), TestPools.Guard());

        Assert.IsType<PublishOutcome.Accepted>(Assert.Single(result.Relays).Outcome);
        Assert.Equal(1, relay.Connections);
    }

    [Fact]
    public async Task A_relay_advertising_fewer_subscriptions_never_gets_more_at_once()
    {
        const string nip11 = """{"limitation":{"max_subscriptions":2}}""";
        await using FaultRelay relay = await FaultRelay.StartAsync((_, _) => Task.CompletedTask, nip11: nip11);
        await using var connection = new RelayConnection(new RelayEndpoint(relay.Url), TestPools.Options(o => o.FetchRelayInformation = true));
        await connection.ConnectAsync(TestPools.Guard());
        var filter = new SovereignTrajectories.Nostr.Filters.Filter { Kinds = [1] };

        RelaySubscription a = await connection.SubscribeAsync([filter], live: true, TestPools.Guard());
        RelaySubscription b = await connection.SubscribeAsync([filter], live: true, TestPools.Guard());
        Task<RelaySubscription> third = connection.SubscribeAsync([filter], live: true, TestPools.Guard());

        Assert.False(third.IsCompleted);
        await a.DisposeAsync();
        RelaySubscription c = await third;
        Assert.NotEqual(a.Id, c.Id);
        await b.DisposeAsync();
        await c.DisposeAsync();
    }

    [Fact]
    public async Task Ok_for_another_event_does_not_complete_the_publish()
    {
        var time = new FakeTimeProvider();
        await using FaultRelay relay = await FaultRelay.StartAsync((s, f) => f.Type == "EVENT" ? s.OkAsync(new string('0', 64), true, string.Empty) : Task.CompletedTask);
        await using var connection = new RelayConnection(new RelayEndpoint(relay.Url), TestPools.Options(), time: time);
        await connection.ConnectAsync(TestPools.Guard());

        Task<RelayPublishReport> publish = connection.PublishAsync(_events.Note(), TestPools.Guard());
        await relay.NextAsync("EVENT", TestPools.Guard());
        await time.WaitForActiveTimersAsync(1, TestPools.Guard());
        time.Advance(TimeSpan.FromSeconds(30));

        Assert.IsType<PublishOutcome.Timeout>((await publish).Outcome);
    }

    [Fact]
    public async Task Pipelined_publishes_are_matched_to_their_oks_by_event_id()
    {
        const int count = 200;
        var held = new List<string>();
        var gate = new Lock();
        await using FaultRelay relay = await FaultRelay.StartAsync(async (s, f) =>
        {
            if (f.Type != "EVENT")
            {
                return;
            }

            string[]? batch = null;
            lock (gate)
            {
                held.Add(f.EventId!);
                if (held.Count == count)
                {
                    batch = held.AsEnumerable().Reverse().ToArray();
                }
            }

            if (batch is not null)
            {
                // All in flight at once, answered in reverse order; odd positions are refused.
                for (int i = 0; i < batch.Length; i++)
                {
                    await s.OkAsync(batch[i], i % 2 == 0, i % 2 == 0 ? string.Empty : "blocked: " + batch[i]);
                }
            }
        });
        await using RelayPool pool = new(TestPools.Pool([relay.Url]));
        await pool.ConnectAsync(TestPools.Guard());
        NostrEvent[] events = Enumerable.Range(0, count).Select(i => _events.Note("n" + i)).ToArray();

        PublishResult[] results = await Task.WhenAll(events.Select(e => pool.PublishAsync(e, TestPools.Guard())));

        string[] reversed = held.AsEnumerable().Reverse().ToArray();
        for (int i = 0; i < count; i++)
        {
            PublishOutcome outcome = Assert.Single(results[i].Relays).Outcome;
            int position = Array.IndexOf(reversed, events[i].Id);
            if (position % 2 == 0)
            {
                Assert.IsType<PublishOutcome.Accepted>(outcome);
            }
            else
            {
                Assert.Equal("blocked: " + events[i].Id, Assert.IsType<PublishOutcome.Rejected>(outcome).Message);
            }
        }
    }

    [Fact]
    public async Task Auth_required_on_event_authenticates_with_nip42_and_resends_once()
    {
        string challenge = "challenge-" + Guid.NewGuid().ToString("N");
        var authed = new TaskCompletionSource<JsonElement>();
        await using FaultRelay relay = await FaultRelay.StartAsync(
            async (s, f) =>
            {
                if (f.Type == "AUTH")
                {
                    authed.TrySetResult(f.Event);
                    await s.OkAsync(f.EventId!, true, string.Empty);
                }
                else if (f.Type == "EVENT")
                {
                    await s.OkAsync(f.EventId!, authed.Task.IsCompleted, authed.Task.IsCompleted ? string.Empty : "auth-required: sign in first");
                }
            },
            onConnect: s => s.SendAsync($"[\"AUTH\",\"{challenge}\"]"));
        await using RelayPool pool = new(TestPools.Pool([relay.Url]), new SecretKeyAuthSigner(_events.Key));
        await pool.ConnectAsync(TestPools.Guard());

        PublishResult result = await pool.PublishAsync(_events.Note(), TestPools.Guard());

        RelayPublishReport report = Assert.Single(result.Relays);
        Assert.IsType<PublishOutcome.Accepted>(report.Outcome);
        Assert.True(report.Authenticated);
        JsonElement auth = await authed.Task;
        Assert.Equal(22242, auth.GetProperty("kind").GetInt32());
        Assert.Equal(_events.PubKey, auth.GetProperty("pubkey").GetString());
        string[][] tags = auth.GetProperty("tags").EnumerateArray().Select(t => t.EnumerateArray().Select(v => v.GetString()!).ToArray()).ToArray();
        Assert.Contains(tags, t => t[0] == "challenge" && t[1] == challenge);
        Assert.Contains(tags, t => t[0] == "relay");
    }

    [Fact]
    public async Task A_rejection_after_authenticating_is_final_and_says_auth_happened()
    {
        int events = 0;
        await using FaultRelay relay = await FaultRelay.StartAsync(
            async (s, f) =>
            {
                if (f.Type == "AUTH")
                {
                    await s.OkAsync(f.EventId!, true, string.Empty);
                }
                else if (f.Type == "EVENT")
                {
                    int n = Interlocked.Increment(ref events);
                    await s.OkAsync(f.EventId!, false, n == 1 ? "auth-required: who are you" : "restricted: not on the list");
                }
            },
            onConnect: s => s.SendAsync("[\"AUTH\",\"c1\"]"));
        await using RelayPool pool = new(TestPools.Pool([relay.Url]), new SecretKeyAuthSigner(_events.Key));
        await pool.ConnectAsync(TestPools.Guard());

        RelayPublishReport report = Assert.Single((await pool.PublishAsync(_events.Note(), TestPools.Guard())).Relays);

        var rejected = Assert.IsType<PublishOutcome.Rejected>(report.Outcome);
        Assert.Equal(MachineReadablePrefix.Restricted, rejected.Prefix);
        Assert.True(report.Authenticated);
        Assert.Equal(2, Volatile.Read(ref events));
    }

    [Fact]
    public async Task Auth_required_without_a_signer_is_reported_as_auth_required()
    {
        await using FaultRelay relay = await FaultRelay.StartAsync(
            (s, f) => f.Type == "EVENT" ? s.OkAsync(f.EventId!, false, "auth-required: sign in") : Task.CompletedTask,
            onConnect: s => s.SendAsync("[\"AUTH\",\"c1\"]"));
        await using RelayPool pool = new(TestPools.Pool([relay.Url]));
        await pool.ConnectAsync(TestPools.Guard());

        RelayPublishReport report = Assert.Single((await pool.PublishAsync(_events.Note(), TestPools.Guard())).Relays);

        Assert.Equal("auth-required: sign in", Assert.IsType<PublishOutcome.AuthRequired>(report.Outcome).Message);
        Assert.False(report.Authenticated);
    }

    [Fact]
    public async Task Auth_refused_by_the_relay_leaves_auth_required_with_the_reason()
    {
        await using FaultRelay relay = await FaultRelay.StartAsync(
            (s, f) => f.Type switch
            {
                "AUTH" => s.OkAsync(f.EventId!, false, "restricted: unknown key"),
                "EVENT" => s.OkAsync(f.EventId!, false, "auth-required: sign in"),
                _ => Task.CompletedTask,
            },
            onConnect: s => s.SendAsync("[\"AUTH\",\"c1\"]"));
        await using RelayPool pool = new(TestPools.Pool([relay.Url]), new SecretKeyAuthSigner(_events.Key));
        await pool.ConnectAsync(TestPools.Guard());

        RelayPublishReport report = Assert.Single((await pool.PublishAsync(_events.Note(), TestPools.Guard())).Relays);

        var outcome = Assert.IsType<PublishOutcome.AuthRequired>(report.Outcome);
        Assert.Contains("restricted: unknown key", outcome.Message, StringComparison.Ordinal);
        Assert.False(report.Authenticated);
    }

    [Fact]
    public async Task Rate_limited_relay_gets_a_cooldown_during_which_nothing_is_sent()
    {
        var time = new FakeTimeProvider();
        await using FaultRelay relay = await FaultRelay.StartAsync((s, f) => f.Type == "EVENT" ? s.OkAsync(f.EventId!, false, "rate-limited: slow down") : Task.CompletedTask);
        await using var connection = new RelayConnection(new RelayEndpoint(relay.Url), TestPools.Options(o => o.RateLimitCooldown = TimeSpan.FromSeconds(20)), time: time);
        await connection.ConnectAsync(TestPools.Guard());

        RelayPublishReport first = await connection.PublishAsync(_events.Note(), TestPools.Guard());
        var limited = Assert.IsType<PublishOutcome.RateLimited>(first.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(20), limited.RetryAfter);
        Assert.Equal("rate-limited: slow down", limited.Message);

        time.Advance(TimeSpan.FromSeconds(5));
        RelayPublishReport second = await connection.PublishAsync(_events.Note(), TestPools.Guard());
        Assert.Equal(TimeSpan.FromSeconds(15), Assert.IsType<PublishOutcome.RateLimited>(second.Outcome).RetryAfter);

        time.Advance(TimeSpan.FromSeconds(15));
        RelayPublishReport third = await connection.PublishAsync(_events.Note("third"), TestPools.Guard());
        Assert.IsType<PublishOutcome.RateLimited>(third.Outcome);

        // Exactly two EVENT messages reached the relay: the second publish fell in the cooldown.
        Assert.Equal(2, CountTypes(relay, "EVENT"));
    }

    [Fact]
    public async Task A_silent_relay_gives_a_timeout()
    {
        var time = new FakeTimeProvider();
        await using FaultRelay relay = await FaultRelay.StartAsync((_, _) => Task.CompletedTask);
        await using var connection = new RelayConnection(new RelayEndpoint(relay.Url), TestPools.Options(o => o.PublishTimeout = TimeSpan.FromSeconds(7)), time: time);
        await connection.ConnectAsync(TestPools.Guard());

        Task<RelayPublishReport> publish = connection.PublishAsync(_events.Note(), TestPools.Guard());
        await relay.NextAsync("EVENT", TestPools.Guard());
        await time.WaitForActiveTimersAsync(1, TestPools.Guard());
        time.Advance(TimeSpan.FromSeconds(7));

        var timeout = Assert.IsType<PublishOutcome.Timeout>((await publish).Outcome);
        Assert.Equal(TimeSpan.FromSeconds(7), timeout.Waited);
        Assert.Contains("no OK", timeout.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publishes_over_the_in_flight_cap_wait_their_turn_and_their_timeout_starts_when_sent()
    {
        var time = new FakeTimeProvider();
        FaultSession? session = null;
        await using FaultRelay relay = await FaultRelay.StartAsync(
            (s, f) => f.Type == "REQ" ? s.SendAsync($"[\"EOSE\",\"{f.SubscriptionId}\"]") : Task.CompletedTask,
            onConnect: s =>
            {
                session = s;
                return Task.CompletedTask;
            });
        await using var connection = new RelayConnection(
            new RelayEndpoint(relay.Url),
            TestPools.Options(o =>
            {
                o.MaxPublishesInFlight = 4;
                o.PublishTimeout = TimeSpan.FromSeconds(10);
            }),
            time: time);
        await connection.ConnectAsync(TestPools.Guard());
        NostrEvent[] events = Enumerable.Range(0, 8).Select(i => _events.Note("queued " + i)).ToArray();

        Task<RelayPublishReport>[] publishes = events.Select(e => connection.PublishAsync(e, TestPools.Guard())).ToArray();

        // A REQ opened after all eight publishes goes out behind the four sent, ahead of the four waiting.
        await using RelaySubscription marker = await connection.SubscribeAsync([new Filter { Kinds = [1] }], live: false, TestPools.Guard());
        var order = new List<string>();
        for (int i = 0; i < 5; i++)
        {
            order.Add((await relay.Received.ReadAsync(TestPools.Guard())).Type);
        }

        Assert.Equal(["EVENT", "EVENT", "EVENT", "EVENT", "REQ"], order);

        // Nine seconds on, each OK frees a slot for one waiting event; nine more, and those four, sent at nine
        // seconds, are still within their ten: a timeout counted from the publish call would have ended them.
        time.Advance(TimeSpan.FromSeconds(9));
        foreach (NostrEvent e in events[..4])
        {
            await session!.OkAsync(e.Id, true, string.Empty);
        }

        var second = new List<string>();
        for (int i = 0; i < 4; i++)
        {
            second.Add((await relay.NextAsync("EVENT", TestPools.Guard())).EventId!);
        }

        Assert.Equal(events[4..].Select(e => e.Id).Order(StringComparer.Ordinal), second.Order(StringComparer.Ordinal));
        time.Advance(TimeSpan.FromSeconds(9));
        foreach (string id in second)
        {
            await session!.OkAsync(id, true, string.Empty);
        }

        RelayPublishReport[] reports = await Task.WhenAll(publishes);
        Assert.All(reports, r => Assert.IsType<PublishOutcome.Accepted>(r.Outcome));
    }

    [Fact]
    public async Task A_disconnect_mid_publish_gives_a_timeout_not_a_delivery()
    {
        await using FaultRelay relay = await FaultRelay.StartAsync((s, f) =>
        {
            if (f.Type == "EVENT")
            {
                s.Abort();
            }

            return Task.CompletedTask;
        });
        await using RelayPool pool = new(TestPools.Pool([relay.Url]));
        await pool.ConnectAsync(TestPools.Guard());

        PublishResult result = await pool.PublishAsync(_events.Note(), TestPools.Guard());

        var timeout = Assert.IsType<PublishOutcome.Timeout>(Assert.Single(result.Relays).Outcome);
        Assert.Contains("closed before it answered", timeout.Reason, StringComparison.Ordinal);
        Assert.False(result.QuorumReached);
    }

    [Fact]
    public async Task Publishing_without_a_connection_is_not_sent()
    {
        Uri dead = await UnusedPortAsync();
        await using RelayPool pool = new(TestPools.Pool([dead], configure: o => o.Reconnect = false));
        Assert.Equal(0, await pool.ConnectAsync(TestPools.Guard()));

        PublishResult result = await pool.PublishAsync(_events.Note(), TestPools.Guard());

        var notSent = Assert.IsType<PublishOutcome.NotSent>(Assert.Single(result.Relays).Outcome);
        Assert.Contains("not connected", notSent.Reason, StringComparison.Ordinal);
        Assert.Contains(dead.Authority, notSent.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_event_breaking_the_relays_nip11_limits_is_refused_locally()
    {
        const string nip11 = """{"name":"tiny","limitation":{"max_content_length":10,"max_message_length":100000}}""";
        await using FaultRelay relay = await FaultRelay.StartAsync((s, f) => f.Type == "EVENT" ? s.OkAsync(f.EventId!, true, string.Empty) : Task.CompletedTask, nip11: nip11);
        await using RelayPool pool = new(TestPools.Pool([relay.Url], configure: o => o.FetchRelayInformation = true));
        await pool.ConnectAsync(TestPools.Guard());
        Assert.NotNull(pool.Relays[0].Information);

        PublishResult big = await pool.PublishAsync(_events.Note(new string('x', 50)), TestPools.Guard());
        PublishResult small = await pool.PublishAsync(_events.Note("ok"), TestPools.Guard());

        var notSent = Assert.IsType<PublishOutcome.NotSent>(Assert.Single(big.Relays).Outcome);
        Assert.Contains("NIP-11", notSent.Reason, StringComparison.Ordinal);
        Assert.IsType<PublishOutcome.Accepted>(Assert.Single(small.Relays).Outcome);
        Assert.Equal(1, CountTypes(relay, "EVENT"));
    }

    [Fact]
    public async Task Malformed_frames_are_counted_and_do_not_break_the_connection()
    {
        string[] garbage = ["not json", "{}", "[]", "[\"OK\"]", "[\"OK\",\"zz\",\"yes\",1]", "[\"EVENT\",\"s\",{\"id\":1}]", "[\"WHAT\",1]", "\"\\ud800\""];
        await using FaultRelay relay = await FaultRelay.StartAsync(async (s, f) =>
        {
            if (f.Type != "EVENT")
            {
                return;
            }

            foreach (string g in garbage)
            {
                await s.SendAsync(g);
            }

            await s.OkAsync(f.EventId!, true, string.Empty);
        });
        await using RelayPool pool = new(TestPools.Pool([relay.Url]));
        await pool.ConnectAsync(TestPools.Guard());

        PublishResult result = await pool.PublishAsync(_events.Note(), TestPools.Guard());

        Assert.IsType<PublishOutcome.Accepted>(Assert.Single(result.Relays).Outcome);
        RelayStatistics stats = pool.GetStatistics()[0];
        Assert.True(stats.MalformedMessages + stats.DroppedInvalid + stats.DroppedUnknownSubscription >= garbage.Length - 1, $"counted {stats}");
        Assert.Equal(1, stats.Connects);
    }

    [Fact]
    public async Task An_oversized_frame_is_discarded_unbuffered_and_the_connection_carries_on()
    {
        await using FaultRelay relay = await FaultRelay.StartAsync(async (s, f) =>
        {
            if (f.Type != "EVENT")
            {
                return;
            }

            // 4 MiB in 64 KiB fragments, against a 64 KiB cap.
            byte[] chunk = Encoding.ASCII.GetBytes(new string('a', 64 * 1024));
            await s.SendBytesAsync(Encoding.ASCII.GetBytes("[\"NOTICE\",\""), endOfMessage: false);
            for (int i = 0; i < 64; i++)
            {
                await s.SendBytesAsync(chunk, endOfMessage: false);
            }

            await s.SendBytesAsync(Encoding.ASCII.GetBytes("\"]"), endOfMessage: true);
            await s.OkAsync(f.EventId!, true, string.Empty);
        });
        await using RelayPool pool = new(TestPools.Pool([relay.Url], configure: o => o.MaxIncomingMessageBytes = 64 * 1024));
        await pool.ConnectAsync(TestPools.Guard());

        PublishResult result = await pool.PublishAsync(_events.Note(), TestPools.Guard());

        Assert.IsType<PublishOutcome.Accepted>(Assert.Single(result.Relays).Outcome);
        RelayStatistics stats = pool.GetStatistics()[0];
        Assert.Equal(1, stats.OversizedMessages);
        Assert.Equal(0, stats.Notices);
    }

    [Fact]
    public async Task A_notice_flood_is_counted_but_only_the_latest_notices_are_kept()
    {
        const int flood = 5000;
        await using FaultRelay relay = await FaultRelay.StartAsync(async (s, f) =>
        {
            if (f.Type != "EVENT")
            {
                return;
            }

            for (int i = 0; i < flood; i++)
            {
                await s.SendAsync($"[\"NOTICE\",\"flood {i}\"]");
            }

            await s.OkAsync(f.EventId!, true, string.Empty);
        });
        await using RelayPool pool = new(TestPools.Pool([relay.Url], configure: o => o.MaxRememberedNotices = 8));
        await pool.ConnectAsync(TestPools.Guard());
        int surfaced = 0;
        pool.Relays[0].NoticeReceived += _ => Interlocked.Increment(ref surfaced);

        PublishResult result = await pool.PublishAsync(_events.Note(), TestPools.Guard());

        Assert.IsType<PublishOutcome.Accepted>(Assert.Single(result.Relays).Outcome);
        RelayStatistics stats = pool.GetStatistics()[0];
        Assert.Equal(flood, stats.Notices);
        Assert.Equal(flood, Volatile.Read(ref surfaced));
        Assert.Equal(Enumerable.Range(flood - 8, 8).Select(i => $"flood {i}"), stats.RecentNotices);
    }

    [Fact]
    public async Task Quorum_counts_only_ok_true()
    {
        await using FaultRelay accepting = await FaultRelay.StartAsync((s, f) => f.Type == "EVENT" ? s.OkAsync(f.EventId!, true, string.Empty) : Task.CompletedTask);
        await using FaultRelay refusing = await FaultRelay.StartAsync((s, f) => f.Type == "EVENT" ? s.OkAsync(f.EventId!, false, "blocked: no") : Task.CompletedTask);
        await using RelayPool two = new(TestPools.Pool([accepting.Url, refusing.Url], quorum: 2));
        await using RelayPool one = new(TestPools.Pool([accepting.Url, refusing.Url], quorum: 1));
        await two.ConnectAsync(TestPools.Guard());
        await one.ConnectAsync(TestPools.Guard());
        NostrEvent e = _events.Note();

        PublishResult r2 = await two.PublishAsync(e, TestPools.Guard());
        PublishResult r1 = await one.PublishAsync(e, TestPools.Guard());

        Assert.Equal(2, r2.Relays.Count);
        Assert.Equal(1, r2.AcceptedCount);
        Assert.False(r2.QuorumReached);
        Assert.True(r1.QuorumReached);
        Assert.IsType<PublishOutcome.Rejected>(r1.Relays.Single(r => r.Relay == new RelayEndpoint(refusing.Url).Name).Outcome);
    }

    [Fact]
    public async Task Dispose_performs_the_close_handshake()
    {
        FaultSession? session = null;
        var closed = new TaskCompletionSource();
        await using FaultRelay relay = await FaultRelay.StartAsync((_, _) => Task.CompletedTask, onConnect: s =>
        {
            session = s;
            return Task.CompletedTask;
        });
        var connection = new RelayConnection(new RelayEndpoint(relay.Url), TestPools.Options());
        await connection.ConnectAsync(TestPools.Guard());

        await connection.DisposeAsync();

        Assert.Equal(RelayConnectionState.Closed, connection.State);
        Assert.NotNull(session);
        Assert.True(session!.ClosedByClient);
    }

    internal static int CountTypes(FaultRelay relay, string type)
    {
        int n = 0;
        while (relay.Received.TryRead(out ClientFrame? f))
        {
            if (f.Type == type)
            {
                n++;
            }
        }

        return n;
    }

    internal static async Task<Uri> UnusedPortAsync()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await Task.CompletedTask;
        return new Uri($"ws://127.0.0.1:{port}");
    }
}
