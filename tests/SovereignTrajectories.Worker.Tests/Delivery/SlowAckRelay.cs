using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;

namespace SovereignTrajectories.Worker.Tests.Delivery;

/// <summary>
/// A relay double on a real WebSocket that accepts every event, but like a slow relay works through
/// them one at a time in arrival order, answering one per pause, so answers trickle in while others
/// are still unanswered. It counts the offers of each event and the most events it held unanswered
/// at the same time.
/// </summary>
internal sealed class SlowAckRelay : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TimeSpan _pause;
    private readonly ConcurrentDictionary<string, int> _offers = new(StringComparer.Ordinal);
    private int _unanswered;
    private int _peakUnanswered;

    private SlowAckRelay(WebApplication app, TimeSpan pause)
    {
        _app = app;
        _pause = pause;
    }

    public Uri Url { get; private init; } = null!;

    /// <summary>How often each event id was offered.</summary>
    public IReadOnlyDictionary<string, int> Offers => _offers;

    /// <summary>The most events received and not yet answered at one time.</summary>
    public int PeakUnanswered => Volatile.Read(ref _peakUnanswered);

    public static async Task<SlowAckRelay> StartAsync(TimeSpan pause)
    {
        SlowAckRelay? relay = null;
        (WebApplication app, Uri url) = await WebSocketRelayHost.StartAsync(socket => relay!.SessionAsync(socket)).ConfigureAwait(false);
        relay = new SlowAckRelay(app, pause) { Url = url };
        return relay;
    }

    public ValueTask DisposeAsync() => WebSocketRelayHost.StopAsync(_app);

    private async Task SessionAsync(WebSocket socket)
    {
        var queue = System.Threading.Channels.Channel.CreateUnbounded<string>();
        Task answering = AnswerInOrderAsync(socket, queue.Reader);
        byte[] buffer = new byte[1 << 20];
        while (socket.State == WebSocketState.Open)
        {
            int length = await WebSocketRelayHost.ReceiveAsync(socket, buffer).ConfigureAwait(false);
            if (length < 0)
            {
                break;
            }

            string id;
            using (JsonDocument doc = JsonDocument.Parse(buffer.AsMemory(0, length)))
            {
                if (doc.RootElement[0].GetString() != "EVENT")
                {
                    continue;
                }

                id = doc.RootElement[1].GetProperty("id").GetString()!;
            }

            _offers.AddOrUpdate(id, 1, (_, n) => n + 1);
            int now = Interlocked.Increment(ref _unanswered);
            int peak;
            while (now > (peak = Volatile.Read(ref _peakUnanswered)) && Interlocked.CompareExchange(ref _peakUnanswered, now, peak) != peak)
            {
            }

            queue.Writer.TryWrite(id);
        }

        queue.Writer.TryComplete();
        try
        {
            await answering.ConfigureAwait(false);
        }
        catch (WebSocketException)
        {
            // The client went away before every answer: nothing left to tell it.
        }
    }

    private async Task AnswerInOrderAsync(WebSocket socket, System.Threading.Channels.ChannelReader<string> queue)
    {
        await foreach (string id in queue.ReadAllAsync().ConfigureAwait(false))
        {
            await Task.Delay(_pause).ConfigureAwait(false);
            Interlocked.Decrement(ref _unanswered);
            if (socket.State == WebSocketState.Open)
            {
                await socket.SendAsync(Encoding.UTF8.GetBytes($"[\"OK\",\"{id}\",true,\"\"]"), WebSocketMessageType.Text, true, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }
}
