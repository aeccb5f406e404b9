using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SovereignTrajectories.Relays.Tests.Support;

/// <summary>
/// A scriptable relay on 127.0.0.1 (Kestrel WebSockets) for what a real relay will not do on
/// demand: refuse with any prefix, demand AUTH, go silent, drop the connection, send garbage,
/// oversized frames, forged events, CLOSED and NOTICE floods. Each test supplies the script.
/// </summary>
internal sealed class FaultRelay : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<ClientFrame> _received = Channel.CreateUnbounded<ClientFrame>();
    private int _connections;

    private FaultRelay(WebApplication app) => _app = app;

    /// <summary>The ws:// URL of the relay.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>How many WebSocket connections were accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Every message clients sent, in order, for tests to wait on.</summary>
    public ChannelReader<ClientFrame> Received => _received.Reader;

    /// <param name="onMessage">Called for every client message; the script answers through the session.</param>
    /// <param name="onConnect">Called when a client connects (e.g. to send an AUTH challenge, or to hang up at once).</param>
    /// <param name="nip11">A NIP-11 document to serve for <c>Accept: application/nostr+json</c>, or null for 404.</param>
    public static async Task<FaultRelay> StartAsync(
        Func<FaultSession, ClientFrame, Task> onMessage,
        Func<FaultSession, Task>? onConnect = null,
        string? nip11 = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        var relay = new FaultRelay(app);
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.Run(async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                if (nip11 is not null && context.Request.Headers.Accept.ToString().Contains("application/nostr+json", StringComparison.Ordinal))
                {
                    context.Response.ContentType = "application/nostr+json";
                    await context.Response.WriteAsync(nip11).ConfigureAwait(false);
                }
                else
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                }

                return;
            }

            using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
            int index = Interlocked.Increment(ref relay._connections);
            var session = new FaultSession(socket, index);
            await relay.ServeAsync(session, onMessage, onConnect, context.RequestAborted).ConfigureAwait(false);
        });
        await app.StartAsync().ConfigureAwait(false);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        relay.Url = new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal));
        return relay;
    }

    /// <summary>Waits for the next client message of the given type (EVENT, REQ, CLOSE, AUTH).</summary>
    public async Task<ClientFrame> NextAsync(string type, CancellationToken cancellationToken)
    {
        while (true)
        {
            ClientFrame frame = await _received.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (frame.Type == type)
            {
                return frame;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task ServeAsync(FaultSession session, Func<FaultSession, ClientFrame, Task> onMessage, Func<FaultSession, Task>? onConnect, CancellationToken aborted)
    {
        try
        {
            if (onConnect is not null)
            {
                await onConnect(session).ConfigureAwait(false);
            }

            byte[] buffer = new byte[1 << 20];
            while (session.Socket.State == WebSocketState.Open)
            {
                int count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await session.Socket.ReceiveAsync(buffer.AsMemory(count), aborted).ConfigureAwait(false);
                    count += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    session.ClosedByClient = true;
                    await session.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).ConfigureAwait(false);
                    return;
                }

                var frame = ClientFrame.Parse(Encoding.UTF8.GetString(buffer, 0, count), session.Index);
                _received.Writer.TryWrite(frame);
                await onMessage(session, frame).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client or the script hung up.
        }
    }
}

/// <summary>One client connection to the <see cref="FaultRelay"/>.</summary>
internal sealed class FaultSession(WebSocket socket, int index)
{
    private readonly SemaphoreSlim _send = new(1, 1);

    public WebSocket Socket { get; } = socket;

    /// <summary>1 for the first connection, 2 for the next, ...</summary>
    public int Index { get; } = index;

    public bool ClosedByClient { get; set; }

    public Task SendAsync(string json) => SendBytesAsync(Encoding.UTF8.GetBytes(json), endOfMessage: true);

    public async Task SendBytesAsync(byte[] payload, bool endOfMessage)
    {
        await _send.WaitAsync().ConfigureAwait(false);
        try
        {
            await Socket.SendAsync(payload, WebSocketMessageType.Text, endOfMessage, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _send.Release();
        }
    }

    public Task OkAsync(string eventId, bool accepted, string message) =>
        SendAsync($"[\"OK\",\"{eventId}\",{(accepted ? "true" : "false")},{JsonSerializer.Serialize(message)}]");

    /// <summary>Drops the TCP connection without a close handshake.</summary>
    public void Abort() => Socket.Abort();
}

/// <summary>A message a client sent, with the fields tests look at.</summary>
internal sealed record ClientFrame(string Raw, string Type, int Session, JsonElement Root)
{
    /// <summary>The event id of an EVENT or AUTH message.</summary>
    public string? EventId => Type is "EVENT" or "AUTH" ? Root[1].GetProperty("id").GetString() : null;

    /// <summary>The subscription id of a REQ or CLOSE message.</summary>
    public string? SubscriptionId => Type is "REQ" or "CLOSE" ? Root[1].GetString() : null;

    /// <summary>The event object of an EVENT or AUTH message.</summary>
    public JsonElement Event => Root[1];

    public static ClientFrame Parse(string raw, int session)
    {
        using JsonDocument doc = JsonDocument.Parse(raw);
        JsonElement root = doc.RootElement.Clone();
        return new ClientFrame(raw, root[0].GetString() ?? string.Empty, session, root);
    }
}
