using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;

namespace SovereignTrajectories.Worker.Tests.Delivery;

/// <summary>
/// A relay double on a real WebSocket: the first <c>limitFirst</c> times it sees an event it answers
/// <c>OK false "rate-limited: slow down"</c>, after that <c>OK true</c>. It records when each event was
/// offered, so a test can check the retries against the delivery policy.
/// </summary>
internal sealed class RateLimitingRelay : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, List<long>> _offers = new(StringComparer.Ordinal);

    private readonly int _limitFirst;

    private RateLimitingRelay(WebApplication app, int limitFirst)
    {
        _app = app;
        _limitFirst = limitFirst;
    }

    public Uri Url { get; private init; } = null!;

    /// <summary>Each event id and the <see cref="Stopwatch"/> timestamps at which it was offered.</summary>
    public IReadOnlyDictionary<string, List<long>> Offers => _offers;

    public static async Task<RateLimitingRelay> StartAsync(int limitFirst = 1)
    {
        RateLimitingRelay? relay = null;
        (WebApplication app, Uri url) = await WebSocketRelayHost.StartAsync(socket => relay!.SessionAsync(socket)).ConfigureAwait(false);
        relay = new RateLimitingRelay(app, limitFirst) { Url = url };
        return relay;
    }

    public ValueTask DisposeAsync() => WebSocketRelayHost.StopAsync(_app);

    private async Task SessionAsync(WebSocket socket)
    {
        byte[] buffer = new byte[1 << 20];
        while (socket.State == WebSocketState.Open)
        {
            int length = await WebSocketRelayHost.ReceiveAsync(socket, buffer).ConfigureAwait(false);
            if (length < 0)
            {
                return;
            }

            using JsonDocument doc = JsonDocument.Parse(buffer.AsMemory(0, length));
            JsonElement root = doc.RootElement;
            if (root[0].GetString() != "EVENT")
            {
                continue;
            }

            string id = root[1].GetProperty("id").GetString()!;
            List<long> offers = _offers.GetOrAdd(id, _ => []);
            bool limited;
            lock (offers)
            {
                offers.Add(Stopwatch.GetTimestamp());
                limited = offers.Count <= _limitFirst;
            }

            string answer = limited
                ? $"[\"OK\",\"{id}\",false,\"rate-limited: slow down\"]"
                : $"[\"OK\",\"{id}\",true,\"\"]";
            await socket.SendAsync(Encoding.UTF8.GetBytes(answer), WebSocketMessageType.Text, true, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
