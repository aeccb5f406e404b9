using System.Net.Http.Headers;
using System.Text.Json;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Testing;

namespace SovereignTrajectories.Nostr.Tests.Integration;

/// <summary>Our event core against a real relay (CodyTseng's nostr-relay) over plain WebSocket frames.</summary>
public sealed class LocalRelayRoundTripTests(LocalRelayFixture fixture) : IClassFixture<LocalRelayFixture>
{
    private const string Tricky = "héllo \"quoted\" \\ back\nnew\ttab\r\u0001\u001f ctrl \u2028 \u2029 \u007f emoji \U0001F600 漢字 <>&'/";

    [Fact]
    public async Task Published_events_come_back_byte_equal_and_verified()
    {
        using SecretKey key = SecretKey.Generate();
        var sent = new List<NostrEvent>();
        for (int i = 0; i < 40; i++)
        {
            var tags = new List<Tag> { new("t", "roundtrip"), new("e", new string('a', 64), string.Empty, "root"), new("x", Tricky + i) };
            int kind = 1;
            if (i % 2 == 0)
            {
                kind = 39230;
                tags.Insert(0, new Tag("d", $"session-{i}"));
            }

            sent.Add(EventSigner.Sign(new UnsignedEvent(1_700_000_000 + i, kind, tags, $"{Tricky} #{i}"), key));
        }

        await using var client = await RawRelayClient.ConnectAsync(fixture.Url);
        foreach (NostrEvent e in sent)
        {
            (bool accepted, string message) = await client.PublishAsync(e);
            Assert.True(accepted, $"relay refused {e.Id}: {message}");
        }

        IReadOnlyList<string> raw = await client.QueryAsync("roundtrip", $"{{\"authors\":[\"{key.PublicKey.Hex}\"],\"limit\":1000}}");

        Assert.Equal(sent.Count, raw.Count);
        var byId = sent.ToDictionary(e => e.Id);
        foreach (string json in raw)
        {
            NostrEvent received = EventParser.Parse(json);
            Assert.True(byId.TryGetValue(received.Id, out NostrEvent? original), $"relay returned an event we did not send: {received.Id}");
            Assert.Equal(original, received);
            Assert.Equal(CanonicalJson.Serialize(original), json);
            EventCheck check = EventVerifier.Verify(received);
            Assert.True(check.IsValid, check.Reason);
        }
    }

    [Fact]
    public async Task Open_subscription_receives_an_event_published_after_eose()
    {
        using SecretKey key = SecretKey.Generate();
        NostrEvent live = EventSigner.Sign(new UnsignedEvent(1_700_000_000, 1, [new Tag("t", "live")], "published later"), key);
        await using var subscriber = await RawRelayClient.ConnectAsync(fixture.Url);
        await using var publisher = await RawRelayClient.ConnectAsync(fixture.Url);

        await subscriber.SendAsync($"[\"REQ\",\"live\",{{\"authors\":[\"{key.PublicKey.Hex}\"]}}]");
        await subscriber.ReceiveUntilAsync("EOSE", f => f[1].GetString() == "live");
        (bool accepted, string message) = await publisher.PublishAsync(live);
        Assert.True(accepted, message);

        JsonElement frame = await subscriber.ReceiveUntilAsync("EVENT", f => f[1].GetString() == "live");
        Assert.Equal(live, EventParser.Parse(frame[2].GetRawText()));
    }

    [Fact]
    public async Task Subscription_beyond_the_limit_is_closed_rather_than_evicting_another()
    {
        await using var client = await RawRelayClient.ConnectAsync(fixture.Url);
        for (int i = 0; i < 20; i++)
        {
            await client.SendAsync($"[\"REQ\",\"sub{i}\",{{\"kinds\":[1],\"limit\":0}}]");
            await client.ReceiveUntilAsync("EOSE", f => f[1].GetString() == $"sub{i}");
        }

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => client.QueryAsync("sub20", "{\"kinds\":[1],\"limit\":0}"));
        Assert.Contains("error: too many subscriptions", ex.Message, StringComparison.Ordinal);

        await client.SendAsync("[\"CLOSE\",\"sub0\"]");
        IReadOnlyList<string> afterClose = await client.QueryAsync("sub21", "{\"kinds\":[1],\"limit\":0}");
        Assert.Empty(afterClose);
    }

    [Fact]
    public async Task Event_with_forged_signature_is_refused_with_invalid_prefix()
    {
        using SecretKey key = SecretKey.Generate();
        NostrEvent signed = EventSigner.Sign(new UnsignedEvent(1_700_000_000, 1, TagList.Empty, "forged " + Guid.NewGuid()), key);
        byte[] sig = Convert.FromHexString(signed.Sig);
        sig[^1] ^= 0x01;
        NostrEvent forged = signed with { Sig = Convert.ToHexStringLower(sig) };

        await using var client = await RawRelayClient.ConnectAsync(fixture.Url);
        (bool accepted, string message) = await client.PublishAsync(forged);

        Assert.False(accepted);
        Assert.StartsWith("invalid:", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Event_whose_id_does_not_match_content_is_refused_with_invalid_prefix()
    {
        using SecretKey key = SecretKey.Generate();
        NostrEvent signed = EventSigner.Sign(new UnsignedEvent(1_700_000_000, 1, TagList.Empty, "original"), key);
        NostrEvent altered = signed with { Content = "altered " + Guid.NewGuid() };

        await using var client = await RawRelayClient.ConnectAsync(fixture.Url);
        (bool accepted, string message) = await client.PublishAsync(altered);

        Assert.False(accepted);
        Assert.StartsWith("invalid:", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_event_gets_ok_false_instead_of_a_notice()
    {
        await using var client = await RawRelayClient.ConnectAsync(fixture.Url);
        string id = new('b', 64);
        await client.SendAsync($"[\"EVENT\",{{\"id\":\"{id}\",\"pubkey\":\"not hex\",\"created_at\":1,\"kind\":1,\"tags\":[],\"content\":\"\",\"sig\":\"{new string('c', 128)}\"}}]");

        JsonElement ok = await client.ReceiveUntilAsync("OK", f => f[1].GetString() == id);

        Assert.False(ok[2].GetBoolean());
        Assert.StartsWith("invalid:", ok[3].GetString(), StringComparison.Ordinal);
        Assert.Contains("pubkey", ok[3].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_filter_gets_closed_instead_of_a_notice()
    {
        await using var client = await RawRelayClient.ConnectAsync(fixture.Url);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => client.QueryAsync("bad", "{\"kinds\":[\"one\"]}"));

        Assert.Contains("invalid:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Relay_serves_nip11_document_when_asked_for_nostr_json()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, fixture.Relay.HttpUrl);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/nostr+json"));

        using HttpResponseMessage response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using JsonDocument doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        JsonElement info = doc.RootElement;

        Assert.Equal("application/nostr+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("*", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        int[] nips = info.GetProperty("supported_nips").EnumerateArray().Select(n => n.GetInt32()).ToArray();
        Assert.Contains(1, nips);
        Assert.Contains(11, nips);
        Assert.DoesNotContain(42, nips);
        JsonElement limitation = info.GetProperty("limitation");
        Assert.Equal(1000, limitation.GetProperty("max_limit").GetInt32());
        Assert.Equal(20, limitation.GetProperty("max_subscriptions").GetInt32());
        Assert.False(limitation.GetProperty("auth_required").GetBoolean());
        Assert.True(limitation.GetProperty("max_content_length").GetInt32() > 0);
    }
}
