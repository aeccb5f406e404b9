using System.Buffers;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SovereignTrajectories.Benchmarks.Pool;

/// <summary>
/// A relay that answers every EVENT with <c>OK true</c> at once and verifies nothing, so a publish
/// benchmark measures the client, not the relay. Kestrel WebSockets on 127.0.0.1.
/// </summary>
internal sealed class AckOnlyRelay : IAsyncDisposable
{
    private static readonly byte[] IdKey = "\"id\":\""u8.ToArray();
    private readonly WebApplication _app;
    private long _acked;

    private AckOnlyRelay(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public long Acked => Interlocked.Read(ref _acked);

    public static async Task<AckOnlyRelay> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        var relay = new AckOnlyRelay(app);
        app.UseWebSockets();
        app.Run(async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
            await relay.ServeAsync(socket, context.RequestAborted).ConfigureAwait(false);
        });
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

    private async Task ServeAsync(WebSocket socket, CancellationToken aborted)
    {
        byte[] buffer = new byte[1 << 20];
        byte[] ok = Encoding.ASCII.GetBytes("[\"OK\",\"" + new string('0', 64) + "\",true,\"\"]");
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                int count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(count), aborted).ConfigureAwait(false);
                    count += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).ConfigureAwait(false);
                    return;
                }

                ReadOnlySpan<byte> frame = buffer.AsSpan(0, count);
                if (!frame.StartsWith("[\"EVENT\""u8))
                {
                    continue;
                }

                int at = frame.IndexOf(IdKey);
                if (at < 0 || at + IdKey.Length + 64 > frame.Length)
                {
                    continue;
                }

                frame.Slice(at + IdKey.Length, 64).CopyTo(ok.AsSpan(7));
                await socket.SendAsync(ok, WebSocketMessageType.Text, endOfMessage: true, aborted).ConfigureAwait(false);
                Interlocked.Increment(ref _acked);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The client went away.
        }
    }
}
