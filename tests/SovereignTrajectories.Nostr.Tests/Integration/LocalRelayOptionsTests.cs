using System.Net.Http.Headers;
using System.Text.Json;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Testing;

namespace SovereignTrajectories.Nostr.Tests.Integration;

/// <summary>Limits given to <see cref="LocalRelay"/> reach the relay, its answers and its NIP-11 document.</summary>
public sealed class LocalRelayOptionsTests
{
    [Fact]
    public async Task Configured_limits_are_enforced_and_advertised()
    {
        await using LocalRelay relay = await LocalRelay.StartAsync(new LocalRelayOptions
        {
            MaxContentLength = 50,
            MaxLimit = 7,
            Environment = new Dictionary<string, string> { ["RELAY_CREATED_AT_UPPER"] = "600" },
        });
        using SecretKey key = SecretKey.Generate();
        await using var client = await RawRelayClient.ConnectAsync(relay.Url);

        NostrEvent tooLong = EventSigner.Sign(new UnsignedEvent(1_700_000_000, 1, TagList.Empty, new string('x', 51)), key);
        (bool acceptedLong, string messageLong) = await client.PublishAsync(tooLong);
        Assert.False(acceptedLong);
        Assert.StartsWith("invalid:", messageLong, StringComparison.Ordinal);
        Assert.Contains("content", messageLong, StringComparison.Ordinal);

        long farFuture = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds() + 86_400;
        NostrEvent future = EventSigner.Sign(new UnsignedEvent(farFuture, 1, TagList.Empty, "from tomorrow"), key);
        (bool acceptedFuture, string messageFuture) = await client.PublishAsync(future);
        Assert.False(acceptedFuture);
        Assert.StartsWith("invalid: created_at", messageFuture, StringComparison.Ordinal);

        for (int i = 0; i < 10; i++)
        {
            (bool ok, string message) = await client.PublishAsync(EventSigner.Sign(new UnsignedEvent(1_700_000_000 + i, 1, TagList.Empty, $"n{i}"), key));
            Assert.True(ok, message);
        }

        IReadOnlyList<string> capped = await client.QueryAsync("capped", $"{{\"authors\":[\"{key.PublicKey.Hex}\"],\"limit\":500}}");
        Assert.Equal(7, capped.Count);

        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, relay.HttpUrl);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/nostr+json"));
        using HttpResponseMessage response = await http.SendAsync(request);
        using JsonDocument doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        JsonElement limitation = doc.RootElement.GetProperty("limitation");
        Assert.Equal(50, limitation.GetProperty("max_content_length").GetInt32());
        Assert.Equal(7, limitation.GetProperty("max_limit").GetInt32());
        Assert.Equal(600, limitation.GetProperty("created_at_upper_limit").GetInt32());
    }

    [Fact]
    public async Task Auth_relay_advertises_nip42_and_auth_required()
    {
        await using LocalRelay relay = await LocalRelay.StartAsync(new LocalRelayOptions { RequireAuth = true });
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, relay.HttpUrl);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/nostr+json"));

        using HttpResponseMessage response = await http.SendAsync(request);
        using JsonDocument doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Contains(42, doc.RootElement.GetProperty("supported_nips").EnumerateArray().Select(n => n.GetInt32()));
        Assert.True(doc.RootElement.GetProperty("limitation").GetProperty("auth_required").GetBoolean());
    }
}
