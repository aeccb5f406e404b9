using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Filters;
using SovereignTrajectories.Relays;
using SovereignTrajectories.Relays.Configuration;
using SovereignTrajectories.Relays.Querying;
using SovereignTrajectories.Testing;
using SovereignTrajectories.Trajectories.Mapping;
using SovereignTrajectories.Trajectories.Model;
using SovereignTrajectories.Trajectories.Replay;
using SovereignTrajectories.Worker.Delivery;
using SovereignTrajectories.Worker.Hosting;
using SovereignTrajectories.Worker.Http;
using SovereignTrajectories.Worker.Intake;
using SovereignTrajectories.Worker.Pipeline;
using SovereignTrajectories.Worker.Tests.EndToEnd;

namespace SovereignTrajectories.Worker.Tests.Intake;

/// <summary>The whole worker host (publishing plus intake) against a real local relay.</summary>
public sealed class IntakeEndToEndTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(3); // hang guard only

    [Fact]
    public async Task Spool_live_OTLP_and_feedback_runs_all_reach_the_relay_and_read_back_intact()
    {
        using var cts = new CancellationTokenSource(Bound);
        await using LocalRelay relay = await LocalRelay.StartAsync(ct: cts.Token);
        string data = TestWorker.NewDataDirectory();
        var config = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["SovereignTrajectories:DataDirectory"] = data,
            ["SovereignTrajectories:Key:File"] = Path.Combine(data, "agent.key"),
            ["SovereignTrajectories:Relays:0"] = relay.Url.ToString(),
            ["SovereignTrajectories:Quorum"] = "1",
            ["SovereignTrajectories:Intake:Spool:QuietPeriod"] = "00:00:00",
            ["SovereignTrajectories:Intake:Live:BatchDelay"] = "00:00:00",
            ["SovereignTrajectories:Intake:Http:Url"] = "http://127.0.0.1:0",
        };
        using IHost host = WorkerHost.CreateBuilder(null, includeIntake: true, config, LogLevel.Warning).Build();
        var monitor = host.Services.GetRequiredService<IntakeMonitor>();
        var settled = new TaskCompletionSource<SpoolOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        monitor.FileSettled += o => settled.TrySetResult(o);
        var liveOpened = new TaskCompletionSource<SinkSession>(TaskCreationOptions.RunContinuationsAsynchronously);
        var liveEnded = new TaskCompletionSource<SinkSession>(TaskCreationOptions.RunContinuationsAsynchronously);
        monitor.LiveRunStored += s =>
        {
            liveOpened.TrySetResult(s);
            if (s.Ended)
            {
                liveEnded.TrySetResult(s);
            }
        };
        await host.StartAsync(cts.Token);
        try
        {
            var publisher = host.Services.GetRequiredService<TrajectoryPublisher>();
            var notifications = host.Services.GetRequiredService<PublishNotifications>();
            Uri http = await host.Services.GetRequiredService<IntakeHttpServer>().Address;
            using var client = new HttpClient { BaseAddress = http };
            string[] replayLines = File.ReadAllLines(Path.Combine(RepoPaths.SamplesDir, "replay", "REPLAY.jsonl"));
            Trajectory replay = ReplayReader.Read(string.Join('\n', replayLines));

            // Spool: a Claude Code log written as .part and renamed.
            string inbox = Path.Combine(data, "spool", "inbox");
            Directory.CreateDirectory(inbox);
            File.Copy(Path.Combine(RepoPaths.SamplesDir, "claude", "session.jsonl"), Path.Combine(inbox, "claude.jsonl.part"));
            File.Move(Path.Combine(inbox, "claude.jsonl.part"), Path.Combine(inbox, "claude.jsonl"));
            SpoolOutcome outcome = await settled.Task.WaitAsync(cts.Token);
            Assert.True(outcome.Succeeded, outcome.Error);

            // Live: a REPLAY.jsonl written in two parts while the worker runs.
            string live = Path.Combine(data, "live", "REPLAY.jsonl");
            Directory.CreateDirectory(Path.GetDirectoryName(live)!);
            await File.AppendAllLinesAsync(live, replayLines[..8], cts.Token);
            SinkSession opened = await liveOpened.Task.WaitAsync(cts.Token);
            Assert.False(opened.Ended);
            Assert.Equal(replay.Session.Sid, opened.Sid);
            await File.AppendAllLinesAsync(live, replayLines[8..], cts.Token);
            SinkSession ended = await liveEnded.Task.WaitAsync(cts.Token);
            Assert.Equal(replay.Steps.Count, ended.StepCount);

            // OTLP: a real OpenTelemetry exporter.
            var traceStored = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            monitor.TraceStored += id => traceStored.TrySetResult(id);
            string exported = await NodePeer.RunAsync("otlp-export.mjs", [http.ToString(), "--simple"], ct: cts.Token);
            using JsonDocument exportedDoc = JsonDocument.Parse(exported);
            string traceId = exportedDoc.RootElement.GetProperty("traceId").GetString()!;
            Assert.Equal(traceId, await traceStored.Task.WaitAsync(cts.Token));

            // Feedback after the end of the live run.
            HttpResponseMessage feedback = await client.PostAsync(
                "/v1/feedback",
                new StringContent($"{{\"session_id\":\"{replay.Session.Sid}\",\"signal\":\"score\",\"value\":0.8,\"comment\":\"good fix\"}}", Encoding.UTF8, "application/json"),
                cts.Token);
            Assert.Equal(HttpStatusCode.OK, feedback.StatusCode);

            foreach (string sid in new[] { replay.Session.Sid, traceId, "3f1c2b7e-8d4a-4e0b-9a61-5c2f7d9e1a04" })
            {
                await notifications.WhenSessionPublishedAsync(publisher.CoordinateOf(sid), cts.Token);
            }

            await notifications.WhenDrainedAsync(cts.Token);
            IReadOnlyList<NostrEvent> held = await QueryAllAsync(relay.Url, publisher.PublicKeyHex, cts.Token);

            TrajectoryReadResult liveRun = TrajectoryEventReader.Read(held.Where(e => e.Kind != 39211), replay.Session.Sid);
            Assert.True(liveRun.Trajectory.Session.IsComplete);
            Assert.Equal(replay.Steps.Count + 1, liveRun.Trajectory.Steps.Count);
            Assert.Equal(replay.Steps.Select(s => s.TypeName), liveRun.Trajectory.Steps.Take(replay.Steps.Count).Select(s => s.TypeName));
            RewardStep reward = Assert.IsType<RewardStep>(liveRun.Trajectory.Steps[^1]);
            Assert.Equal((RewardSignal.Score, 0.8, "good fix"), (reward.Signal, reward.Value, reward.Comment));
            Assert.Equal(new Reward(RewardSignal.Score, 0.8), liveRun.Trajectory.LatestReward);

            TrajectoryReadResult otlpRun = TrajectoryEventReader.Read(held.Where(e => e.Kind != 39211), traceId);
            Assert.True(otlpRun.Trajectory.Session.IsComplete);
            Assert.Equal(4, otlpRun.Trajectory.Steps.Count);

            TrajectoryReadResult spoolRun = TrajectoryEventReader.Read(held.Where(e => e.Kind != 39211), "3f1c2b7e-8d4a-4e0b-9a61-5c2f7d9e1a04");
            Assert.True(spoolRun.Trajectory.Session.IsComplete);
            Assert.True(File.Exists(Path.Combine(data, "spool", "archive", "claude.jsonl")));

            using JsonDocument status = JsonDocument.Parse(await client.GetStringAsync("/status", cts.Token));
            JsonElement outbox = status.RootElement.GetProperty("outbox");
            Assert.Equal(0, outbox.GetProperty("depth").GetInt64());
            Assert.Equal(3, outbox.GetProperty("sessions_published").GetInt64());
            Assert.True(outbox.GetProperty("relays")[0].GetProperty("healthy").GetBoolean());
            Assert.Equal(1, status.RootElement.GetProperty("intake").GetProperty("feedback_applied").GetInt64());
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
                // Best effort cleanup.
            }
        }
    }

    /// <summary>Everything the relay holds from the author (the relay's default limit of 100 would cut three runs short).</summary>
    private static async Task<IReadOnlyList<NostrEvent>> QueryAllAsync(Uri relay, string author, CancellationToken ct)
    {
        await using var pool = new RelayPool(RelayPoolConfiguration.FromUrls([relay.ToString()]));
        await pool.ConnectAsync(ct);
        QueryResult result = await pool.QueryAsync(
            [new Filter { Authors = [author], Kinds = [TrajectoryKinds.Session, TrajectoryKinds.Step, 39211], Limit = 1000 }],
            ct);
        return result.Events;
    }
}
