using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SovereignTrajectories.Worker.Tests.Delivery;

/// <summary>What the relay doubles of these tests share: Kestrel on a free loopback port, and reading whole frames.</summary>
internal static class WebSocketRelayHost
{
    /// <summary>Starts a server that hands every WebSocket connection to <paramref name="session"/>; its app and ws:// URL.</summary>
    public static async Task<(WebApplication App, Uri Url)> StartAsync(Func<WebSocket, Task> session)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        WebApplication app = builder.Build();
        app.UseWebSockets();
        app.Run(async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = 404;
                return;
            }

            using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
            await session(socket).ConfigureAwait(false);
        });
        await app.StartAsync().ConfigureAwait(false);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal)));
    }

    /// <summary>Reads one whole message into <paramref name="buffer"/>; its length, or -1 when the client closed.</summary>
    public static async Task<int> ReceiveAsync(WebSocket socket, byte[] buffer)
    {
        int length = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None).ConfigureAwait(false);
            length += result.Count;
        }
        while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

        return result.MessageType == WebSocketMessageType.Close ? -1 : length;
    }

    /// <summary>Stops and disposes a server from <see cref="StartAsync"/>.</summary>
    public static async ValueTask StopAsync(WebApplication app)
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }
}
