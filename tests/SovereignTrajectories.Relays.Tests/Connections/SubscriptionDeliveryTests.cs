using System.Net.WebSockets;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Filters;
using SovereignTrajectories.Relays.Configuration;
using SovereignTrajectories.Relays.Connections;
using SovereignTrajectories.Relays.Tests.Support;

namespace SovereignTrajectories.Relays.Tests.Connections;

/// <summary>
/// Events are parsed and verified off the socket reader, several at once: what a subscription sees
/// must still be exactly what the relay sent, in its order, minus the events that fail a check.
/// </summary>
public sealed class SubscriptionDeliveryTests : IDisposable
{
    private readonly TestEvents _events = new();

    public void Dispose() => _events.Dispose();

    [Fact]
    public async Task Events_arrive_in_the_relay_order_before_eose_with_every_bad_frame_dropped_and_counted()
    {
        NostrEvent[] notes = Enumerable.Range(0, 300).Select(i => _events.Note("n" + i, createdAt: 1_700_000_000 + i)).ToArray();
        NostrEvent forgedTemplate = _events.Note("forged");
        var frames = new List<string>();
        var expected = new List<string>();
        int forged = 0;
        for (int i = 0; i < notes.Length; i++)
        {
            if (i % 37 == 5)
            {
                // A valid signature over different content: fails the id check.
                frames.Add(Frame(notes[i] with { Sig = forgedTemplate.Sig }));
                forged++;
                continue;
            }

            // Unusual but valid frames: extra trailing elements, spaces between the elements.
            frames.Add(i % 50 == 7
                ? $"[\"EVENT\",\"{{sub}}\",{CanonicalJson.Serialize(notes[i])},\"extra\"]"
                : i % 50 == 8 ? $"[ \"EVENT\" , \"{{sub}}\" , {CanonicalJson.Serialize(notes[i])} ]" : Frame(notes[i]));
            expected.Add(notes[i].Id);
        }

        frames.Insert(100, "[\"EVENT\",\"{sub}\",{\"id\":1}]");
        frames.Insert(150, "[\"EVENT\",\"{sub}\",{\"id\":");
        frames.Insert(200, Frame(notes[0]).Replace("{sub}", "nobody", StringComparison.Ordinal));
        NostrEvent otherKind = _events.Note("kind 7", kind: 7);
        frames.Insert(250, Frame(otherKind));

        await using FaultRelay relay = await FaultRelay.StartAsync(async (s, f) =>
        {
            if (f.Type != "REQ")
            {
                return;
            }

            foreach (string frame in frames)
            {
                await s.SendAsync(frame.Replace("{sub}", f.SubscriptionId, StringComparison.Ordinal));
            }

            await s.SendAsync($"[\"EOSE\",\"{f.SubscriptionId}\"]");
        });
        await using var connection = new RelayConnection(new RelayEndpoint(relay.Url), TestPools.Options());
        Assert.True(await connection.ConnectAsync(TestPools.Guard()));

        await using RelaySubscription sub = await connection.SubscribeAsync([new Filter { Kinds = [1], Authors = [_events.PubKey] }], live: false, TestPools.Guard());
        List<SubscriptionItem> items = await ReadUntilEoseAsync(sub);

        Assert.IsType<SubscriptionItem.EndOfStoredEvents>(items[^1]);
        Assert.Equal(expected, items.SkipLast(1).Select(i => Assert.IsType<SubscriptionItem.Received>(i).Event.Id));
        Assert.Equal(forged + 1, sub.DroppedInvalid);
        Assert.Equal(1, sub.DroppedUnmatched);
        RelayStatistics stats = connection.GetStatistics();
        Assert.Equal(1, stats.MalformedMessages);
        Assert.Equal(1, stats.DroppedUnknownSubscription);
        Assert.Equal(forged + 1, stats.DroppedInvalid);
    }

    [Fact]
    public async Task A_frame_with_a_string_that_cannot_be_decoded_is_dropped_and_the_connection_goes_on()
    {
        NostrEvent good = _events.Note("good");
        NostrEvent x = _events.Note("x");
        string lone = CanonicalJson.Serialize(x).Replace($"\"content\":\"{x.Content}\"", "\"content\":\"\\ud800\"", StringComparison.Ordinal);
        Assert.Contains("\\ud800", lone, StringComparison.Ordinal);
        await using FaultRelay relay = await FaultRelay.StartAsync(async (s, f) =>
        {
            if (f.Type != "REQ")
            {
                return;
            }

            await s.SendAsync($"[\"EVENT\",\"{f.SubscriptionId}\",{lone}]");
            await s.SendAsync($"[\"EVENT\",\"\\ud800\",{lone}]");
            await s.SendAsync(Frame(good).Replace("{sub}", f.SubscriptionId, StringComparison.Ordinal));
            await s.SendAsync($"[\"EOSE\",\"{f.SubscriptionId}\"]");
        });
        await using var connection = new RelayConnection(new RelayEndpoint(relay.Url), TestPools.Options());
        Assert.True(await connection.ConnectAsync(TestPools.Guard()));

        await using RelaySubscription sub = await connection.SubscribeAsync([new Filter { Authors = [_events.PubKey] }], live: false, TestPools.Guard());
        List<SubscriptionItem> items = await ReadUntilEoseAsync(sub);

        Assert.Equal([good.Id], items.OfType<SubscriptionItem.Received>().Select(r => r.Event.Id));
        RelayStatistics stats = connection.GetStatistics();
        Assert.Equal(2, stats.DroppedInvalid + stats.MalformedMessages + stats.DroppedUnknownSubscription);
        Assert.Equal(RelayConnectionState.Connected, connection.State);
    }

    [Fact]
    public async Task Events_sent_just_before_the_relay_hangs_up_reach_the_subscription_before_the_connection_loss()
    {
        NostrEvent[] notes = Enumerable.Range(0, 200).Select(i => _events.Note("h" + i)).ToArray();
        await using FaultRelay relay = await FaultRelay.StartAsync(async (s, f) =>
        {
            if (f.Type != "REQ")
            {
                return;
            }

            foreach (NostrEvent e in notes)
            {
                await s.SendAsync(Frame(e).Replace("{sub}", f.SubscriptionId, StringComparison.Ordinal));
            }

            await s.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        });
        await using var connection = new RelayConnection(new RelayEndpoint(relay.Url), TestPools.Options(o => o.Reconnect = false));
        Assert.True(await connection.ConnectAsync(TestPools.Guard()));

        await using RelaySubscription sub = await connection.SubscribeAsync([new Filter { Authors = [_events.PubKey] }], live: false, TestPools.Guard());
        var items = new List<SubscriptionItem>();
        await foreach (SubscriptionItem item in sub.Items.ReadAllAsync(TestPools.Guard()))
        {
            items.Add(item);
        }

        Assert.IsType<SubscriptionItem.ConnectionLost>(items[^1]);
        Assert.Equal(notes.Select(e => e.Id), items.SkipLast(1).Select(i => Assert.IsType<SubscriptionItem.Received>(i).Event.Id));
    }

    private static string Frame(NostrEvent e) => $"[\"EVENT\",\"{{sub}}\",{CanonicalJson.Serialize(e)}]";

    private static async Task<List<SubscriptionItem>> ReadUntilEoseAsync(RelaySubscription sub)
    {
        var items = new List<SubscriptionItem>();
        await foreach (SubscriptionItem item in sub.Items.ReadAllAsync(TestPools.Guard()))
        {
            items.Add(item);
            if (item is not SubscriptionItem.Received)
            {
                break;
            }
        }

        return items;
    }
}
