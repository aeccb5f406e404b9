using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SovereignTrajectories.Nostr.Events;

namespace SovereignTrajectories.Audit.Tests.Tamper;

/// <summary>
/// A hostile relay double: answers every REQ with <see cref="Served"/> (forged and unrequested events
/// first, then real ones) and EOSE, whatever the filter asked for. Plain TCP + a hand-made WebSocket
/// handshake, so the test project needs no web server.
/// </summary>
internal sealed class ForgingRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;

    public ForgingRelay(IReadOnlyList<string> served)
    {
        Served = served;
        _listener.Start();
        _accept = AcceptAsync();
    }

    /// <summary>Raw event JSON texts, sent in this order to every REQ.</summary>
    public IReadOnlyList<string> Served { get; }

    public Uri Url => new($"ws://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    public static string Json(NostrEvent e) => CanonicalJson.Serialize(e);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accept;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        var clients = new List<Task>();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
                clients.Add(ServeAsync(client));
            }
        }
        finally
        {
            await Task.WhenAll(clients.Select(c => c.ContinueWith(_ => { }, TaskScheduler.Default)));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            NetworkStream stream = client.GetStream();
            string? key = await ReadHandshakeAsync(stream);
            if (key is null)
            {
                byte[] notFound = Encoding.ASCII.GetBytes("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                await stream.WriteAsync(notFound, _stop.Token);
                return;
            }

            string accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
            byte[] response = Encoding.ASCII.GetBytes($"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n");
            await stream.WriteAsync(response, _stop.Token);
            using WebSocket ws = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = true });
            byte[] buffer = new byte[1 << 20];
            try
            {
                while (ws.State == WebSocketState.Open)
                {
                    int filled = 0;
                    ValueWebSocketReceiveResult r;
                    do
                    {
                        r = await ws.ReceiveAsync(buffer.AsMemory(filled), _stop.Token);
                        filled += r.Count;
                    }
                    while (!r.EndOfMessage);
                    if (r.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    using JsonDocument doc = JsonDocument.Parse(buffer.AsMemory(0, filled));
                    JsonElement root = doc.RootElement;
                    if (root[0].GetString() != "REQ")
                    {
                        continue;
                    }

                    string sub = root[1].GetString()!;
                    string subJson = JsonSerializer.Serialize(sub);
                    foreach (string e in Served)
                    {
                        await SendAsync(ws, $"[\"EVENT\",{subJson},{e}]");
                    }

                    await SendAsync(ws, $"[\"EOSE\",{subJson}]");
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException)
            {
                // Client gone or relay stopped.
            }
        }
    }

    private Task SendAsync(WebSocket ws, string text) =>
        ws.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, _stop.Token);

    private async Task<string?> ReadHandshakeAsync(NetworkStream stream)
    {
        var header = new StringBuilder();
        byte[] one = new byte[1];
        while (!header.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one, _stop.Token) == 0)
            {
                return null;
            }

            header.Append((char)one[0]);
        }

        foreach (string line in header.ToString().Split("\r\n"))
        {
            if (line.StartsWith("Sec-WebSocket-Key:", StringComparison.OrdinalIgnoreCase))
            {
                return line["Sec-WebSocket-Key:".Length..].Trim();
            }
        }

        return null;
    }
}
