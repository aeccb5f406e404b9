using SovereignTrajectories.Relays.Configuration;
using SovereignTrajectories.Relays.Connections;
using SovereignTrajectories.Relays.Tests.Support;

namespace SovereignTrajectories.Relays.Tests.Connections;

public sealed class ReconnectTests
{
    [Fact]
    public async Task A_relay_that_hangs_up_at_once_is_never_tried_more_often_than_the_per_minute_bound()
    {
        var time = new FakeTimeProvider();
        var connectedAt = new List<DateTimeOffset>();
        await using FaultRelay relay = await FaultRelay.StartAsync((_, _) => Task.CompletedTask, onConnect: s =>
        {
            lock (connectedAt)
            {
                connectedAt.Add(time.GetUtcNow());
            }

            s.Abort();
            return Task.CompletedTask;
        });
        RelayConnectionOptions options = TestPools.Options(o =>
        {
            o.ConnectTimeout = TimeSpan.FromHours(1);
            o.ReconnectBaseDelay = TimeSpan.FromMilliseconds(10);
            o.ReconnectMaxDelay = TimeSpan.FromMilliseconds(10);
            o.MaxConnectAttemptsPerMinute = 3;
        });
        await using var connection = new RelayConnection(new RelayEndpoint(relay.Url), options, time: time);
        await connection.ConnectAsync(TestPools.Guard());

        DateTimeOffset start = time.GetUtcNow();
        while (time.GetUtcNow() - start < TimeSpan.FromMinutes(3))
        {
            // Only the backoff and the attempt bound arm short timers; advance exactly to the next one.
            TimeSpan due = await time.WaitForTimerDueWithinAsync(TimeSpan.FromMinutes(2), TestPools.Guard());
            time.Advance(due);
        }

        DateTimeOffset[] attempts;
        lock (connectedAt)
        {
            attempts = connectedAt.ToArray();
        }

        Assert.True(attempts.Length >= 7, $"the connection should keep retrying; it made {attempts.Length} attempts");
        foreach (DateTimeOffset a in attempts)
        {
            Assert.True(attempts.Count(b => b >= a && b < a + TimeSpan.FromMinutes(1)) <= 3, "more than 3 attempts within one minute");
        }

        Assert.True(connection.GetStatistics().ConnectAttempts >= attempts.Length);
    }

    [Fact]
    public async Task A_host_that_never_answers_costs_one_connect_timeout_for_the_nip11_document_and_the_socket_together()
    {
        // The kernel completes the TCP handshake into the backlog; nothing ever reads the request or answers it.
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var url = new Uri($"ws://127.0.0.1:{((System.Net.IPEndPoint)silent.LocalEndpoint).Port}");
        var time = new FakeTimeProvider();
        RelayConnectionOptions options = TestPools.Options(o =>
        {
            o.FetchRelayInformation = true;
            o.ConnectTimeout = TimeSpan.FromSeconds(10);
        });
        await using var connection = new RelayConnection(new RelayEndpoint(url), options, time: time);

        Task<bool> connect = connection.ConnectAsync(TestPools.Guard(30));
        await time.WaitForActiveTimersAsync(1, TestPools.Guard());
        time.Advance(TimeSpan.FromSeconds(10));

        // No second ten seconds for the WebSocket: the attempt fails as soon as the document gave up.
        Assert.False(await connect);
        Assert.Equal("connect timed out after 10 s", connection.LastError);
    }

    [Fact]
    public async Task Reconnects_after_the_relay_closes_the_connection_and_resends_live_subscriptions_with_since()
    {
        var reqs = new List<ClientFrame>();
        NostrEventsHolder holder = new();
        await using FaultRelay relay = await FaultRelay.StartAsync((s, f) =>
        {
            if (f.Type == "REQ")
            {
                lock (reqs)
                {
                    reqs.Add(f);
                }

                if (s.Index == 1)
                {
                    return SendThenDropAsync(s, f, holder);
                }
            }

            return Task.CompletedTask;
        });
        await using var connection = new RelayConnection(new RelayEndpoint(relay.Url), TestPools.Options());
        await connection.ConnectAsync(TestPools.Guard());

        await using RelaySubscription sub = await connection.SubscribeAsync([new SovereignTrajectories.Nostr.Filters.Filter { Kinds = [1] }], live: true, TestPools.Guard());
        SubscriptionItem first = await sub.Items.ReadAsync(TestPools.Guard());
        Assert.Equal(holder.Event.Id, Assert.IsType<SubscriptionItem.Received>(first).Event.Id);

        ClientFrame resent = await relay.NextAsync("REQ", TestPools.Guard());
        while (resent.Session == 1)
        {
            resent = await relay.NextAsync("REQ", TestPools.Guard());
        }

        Assert.Equal(sub.Id, resent.SubscriptionId);
        Assert.Equal(holder.Event.CreatedAt, resent.Root[2].GetProperty("since").GetInt64());
        Assert.True(connection.GetStatistics().Connects >= 2);
    }

    private static async Task SendThenDropAsync(FaultSession s, ClientFrame f, NostrEventsHolder holder)
    {
        await s.SendAsync($"[\"EVENT\",\"{f.SubscriptionId}\",{SovereignTrajectories.Nostr.Events.CanonicalJson.Serialize(holder.Event)}]");
        await s.SendAsync($"[\"EOSE\",\"{f.SubscriptionId}\"]");

        // A close frame queues behind the data; an abort could discard the EVENT still in Kestrel's buffer.
        await s.Socket.CloseOutputAsync(System.Net.WebSockets.WebSocketCloseStatus.EndpointUnavailable, "going away", CancellationToken.None);
    }

    private sealed class NostrEventsHolder
    {
        private readonly TestEvents _events = new();

        public NostrEventsHolder() => Event = _events.Note("live", createdAt: 1_700_000_123);

        public SovereignTrajectories.Nostr.Events.NostrEvent Event { get; }
    }
}
