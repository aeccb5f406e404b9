using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

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

    public Uri Url { get; private set; } = null!;

    /// <summary>Each event id and the <see cref="Stopwatch"/> timestamps at which it was offered.</summary>
    public IReadOnlyDictionary<string, List<long>> Offers => _offers;

    public static async Task<RateLimitingRelay> StartAsync(int limitFirst = 1)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        WebApplication app = builder.Build();
        var relay = new RateLimitingRelay(app, limitFirst);
        app.UseWebSockets();
        app.Run(relay.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        relay.Url = new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal));
        return relay;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 404;
            return;
        }

        using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        byte[] buffer = new byte[1 << 20];
        while (socket.State == WebSocketState.Open)
        {
            int length = 0;
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None).ConfigureAwait(false) is var r
                    ? new WebSocketReceiveResult(r.Count, r.MessageType, r.EndOfMessage)
                    : throw new InvalidOperationException();
                length += result.Count;
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

            if (result.MessageType == WebSocketMessageType.Close)
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
