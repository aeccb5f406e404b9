using System.Net.WebSockets;
using System.Text.Json;
using SovereignTrajectories.Nostr.Events;

namespace SovereignTrajectories.Nostr.Tests.Integration;

/// <summary>
/// A bare WebSocket client speaking raw NIP-01 frames, so these tests depend on the relay and our
/// event core only, not on the relay pool under construction elsewhere.
/// </summary>
internal sealed class RawRelayClient : IAsyncDisposable
{
    // A safety net so a broken relay fails the test instead of hanging it; not a timed assertion.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly ClientWebSocket _socket = new();
    private readonly CancellationTokenSource _lifetime = new(Patience);

    private RawRelayClient()
    {
    }

    public static async Task<RawRelayClient> ConnectAsync(Uri url)
    {
        var client = new RawRelayClient();
        try
        {
            await client._socket.ConnectAsync(url, client._lifetime.Token);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    public Task SendAsync(string frame) =>
        _socket.SendAsync(System.Text.Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, endOfMessage: true, _lifetime.Token);

    public Task SendEventAsync(NostrEvent e) => SendAsync("[\"EVENT\"," + CanonicalJson.Serialize(e) + "]");

    /// <summary>Reads the next whole text frame.</summary>
    public async Task<string> ReceiveAsync()
    {
        using var ms = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            WebSocketReceiveResult result = await _socket.ReceiveAsync(buffer, _lifetime.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"relay closed the connection: {result.CloseStatus} {result.CloseStatusDescription}");
            }

            ms.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return System.Text.Encoding.UTF8.GetString(ms.GetBuffer(), 0, (int)ms.Length);
            }
        }
    }

    /// <summary>Reads frames until one of type <paramref name="type"/> arrives (others are skipped), and returns it.</summary>
    public async Task<JsonElement> ReceiveUntilAsync(string type, Func<JsonElement, bool>? match = null)
    {
        while (true)
        {
            string frame = await ReceiveAsync();
            using JsonDocument doc = JsonDocument.Parse(frame);
            JsonElement root = doc.RootElement;
            if (root[0].GetString() == type && (match is null || match(root)))
            {
                return root.Clone();
            }
        }
    }

    /// <summary>Publishes an event and returns the relay's OK frame for it.</summary>
    public async Task<(bool Accepted, string Message)> PublishAsync(NostrEvent e)
    {
        await SendEventAsync(e);
        JsonElement ok = await ReceiveUntilAsync("OK", f => f[1].GetString() == e.Id);
        return (ok[2].GetBoolean(), ok[3].GetString() ?? string.Empty);
    }

    /// <summary>
    /// Sends a REQ and collects the raw JSON of each stored event until EOSE; a CLOSED instead of
    /// EOSE throws with the relay's reason.
    /// </summary>
    public async Task<IReadOnlyList<string>> QueryAsync(string subscriptionId, string filterJson)
    {
        await SendAsync($"[\"REQ\",\"{subscriptionId}\",{filterJson}]");
        var events = new List<string>();
        while (true)
        {
            string frame = await ReceiveAsync();
            using JsonDocument doc = JsonDocument.Parse(frame);
            JsonElement root = doc.RootElement;
            string? type = root[0].GetString();
            if (root.GetArrayLength() > 1 && root[1].ValueKind == JsonValueKind.String && root[1].GetString() != subscriptionId)
            {
                continue;
            }

            switch (type)
            {
                case "EVENT":
                    events.Add(root[2].GetRawText());
                    break;
                case "EOSE":
                    await SendAsync($"[\"CLOSE\",\"{subscriptionId}\"]");
                    return events;
                case "CLOSED":
                    throw new InvalidOperationException($"relay closed subscription {subscriptionId}: {root[2].GetString()}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", closing.Token);
            }
        }
        catch (WebSocketException)
        {
            // The relay may already be gone (crash tests); nothing to close then.
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _socket.Dispose();
            _lifetime.Dispose();
        }
    }
}
