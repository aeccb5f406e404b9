using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Testing;
using SovereignTrajectories.Trajectories.Mapping;
using SovereignTrajectories.Trajectories.Model;
using SovereignTrajectories.Trajectories.Tests.Model;

namespace SovereignTrajectories.Trajectories.Tests.Mapping;

/// <summary>
/// publish -> fetch -> parse against the real local relay (CodyTseng's nostr-relay), over a bare
/// WebSocket so the test depends on nothing but the wire: every step survives (unique d), the
/// relay keeps the final session version, and the model read back equals what was published.
/// </summary>
public sealed class RelayRoundTripTests(LocalRelayFixture relay) : IClassFixture<LocalRelayFixture>
{
    [Fact]
    public async Task Published_events_fetched_from_a_relay_parse_back_to_the_same_model()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        using SecretKey key = SampleTrajectories.Key();
        Trajectory original = SampleTrajectories.EveryStepType() with { Session = SampleTrajectories.Session("relay-rt-" + Guid.NewGuid().ToString("N")[..8]) };
        MappedTrajectory mapped = new TrajectoryEventMapper(new TrajectoryMapperOptions { CheckpointEvery = 5, RelayHint = relay.Url.ToString() }).Map(original, key);

        using var ws = new ClientWebSocket();
        await ws.ConnectAsync(relay.Url, cts.Token);
        foreach (NostrEvent e in mapped.Events)
        {
            await SendAsync(ws, "[\"EVENT\"," + CanonicalJson.Serialize(e) + "]", cts.Token);
            using JsonDocument ok = await ReceiveUntilAsync(ws, m => m[0].GetString() == "OK" && m[1].GetString() == e.Id, cts.Token);
            Assert.True(ok.RootElement[2].GetBoolean(), $"relay refused {e.Id}: {ok.RootElement[3].GetString()}");
        }

        string pub = key.PublicKey.Hex;
        string sid = original.Session.Sid;
        await SendAsync(ws,
            $"[\"REQ\",\"rt\",{{\"kinds\":[39230],\"authors\":[\"{pub}\"],\"#d\":[\"{sid}\"]}},{{\"kinds\":[39231],\"authors\":[\"{pub}\"],\"#a\":[\"39230:{pub}:{sid}\"],\"limit\":1000}}]",
            cts.Token);
        var fetched = new List<NostrEvent>();
        while (true)
        {
            using JsonDocument message = await ReceiveUntilAsync(ws, m => m[0].GetString() is "EVENT" or "EOSE", cts.Token);
            if (message.RootElement[0].GetString() == "EOSE")
            {
                break;
            }

            fetched.Add(EventParser.Parse(message.RootElement[2].GetRawText()));
        }

        TrajectoryReadResult read = TrajectoryEventReader.Read(fetched);

        Assert.Equal(mapped.StepEvents.Count, read.StepEvents.Count);
        Assert.Equal(mapped.LatestSession.Id, read.Session.Id);
        Assert.Single(read.SessionVersions);
        Assert.Equal(SampleTrajectories.AsPublished(original), read.Trajectory with { Notes = ValueList<TrajectoryNote>.Empty });
        Assert.Empty(read.Notes);
        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cts.Token);
    }

    private static Task SendAsync(ClientWebSocket ws, string text, CancellationToken ct) =>
        ws.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, ct);

    /// <summary>Reads relay messages until one matches (NOTICEs and others are skipped).</summary>
    private static async Task<JsonDocument> ReceiveUntilAsync(ClientWebSocket ws, Func<JsonElement, bool> match, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await ws.ReceiveAsync(buffer, ct);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    throw new InvalidOperationException($"the relay closed the connection: {result.CloseStatus} {result.CloseStatusDescription}");
                }

                message.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);

            JsonDocument doc = JsonDocument.Parse(message.ToArray());
            if (doc.RootElement.ValueKind == JsonValueKind.Array && doc.RootElement.GetArrayLength() > 0 && match(doc.RootElement))
            {
                return doc;
            }

            doc.Dispose();
        }
    }
}
