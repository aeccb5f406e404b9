using System.Net;
using System.Text.Json;
using SovereignTrajectories.Worker.Http;
using SovereignTrajectories.Worker.Outbox;

namespace SovereignTrajectories.Worker.Tests.Http;

public sealed class StatusEndpointTests
{
    [Fact]
    public async Task Status_reports_outbox_depth_sessions_and_each_relays_health_and_last_error()
    {
        var failedAt = new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
        var outbox = new OutboxStatus(7, 3, 2, 5, 1,
        [
            new RelayHealth("ws://127.0.0.1:7001", 0, 40, 0, "accepted", null, null, failedAt, null, 0),
            new RelayHealth("ws://127.0.0.1:7002", 7, 33, 1, "rate-limited", "rate-limited: slow down", failedAt, null, failedAt.AddSeconds(30), 3),
        ]);
        await using IntakeHttpHarness http = await IntakeHttpHarness.StartAsync(status: new FixedStatus(outbox));

        HttpResponseMessage response = await http.Client.GetAsync("/status");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        JsonElement o = doc.RootElement.GetProperty("outbox");
        Assert.Equal(7, o.GetProperty("depth").GetInt64());
        Assert.Equal(2, o.GetProperty("sessions_pending").GetInt64());
        Assert.Equal(5, o.GetProperty("sessions_published").GetInt64());
        JsonElement[] relays = o.GetProperty("relays").EnumerateArray().ToArray();
        Assert.True(relays[0].GetProperty("healthy").GetBoolean());
        Assert.False(relays[1].GetProperty("healthy").GetBoolean());
        Assert.Equal("rate-limited: slow down", relays[1].GetProperty("last_error").GetString());
        Assert.Equal(0, doc.RootElement.GetProperty("intake").GetProperty("files_failed").GetInt64());
        // The same names and time format as `sovtraj status --json` (OutboxStatusJson).
        Assert.Equal(1, o.GetProperty("deliveries_given_up").GetInt64());
        Assert.Equal(1, relays[1].GetProperty("given_up").GetInt64());
        Assert.Equal("2026-11-20T10:00:30Z", relays[1].GetProperty("cooldown_until").GetString());
        Assert.Equal(JsonValueKind.Null, relays[0].GetProperty("cooldown_until").ValueKind);
    }

    [Fact]
    public void Status_json_has_one_shape_for_the_cli_and_the_endpoint()
    {
        var at = new DateTimeOffset(2026, 11, 21, 7, 51, 29, 678, TimeSpan.FromHours(2));
        var status = new OutboxStatus(4, 2, 1, 0, 3, [new RelayHealth("ws://r", 4, 0, 3, "invalid", "invalid: bad", at, null, null, 2)]);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            OutboxStatusJson.WriteFields(w, status);
            w.WriteEndObject();
        }

        using JsonDocument doc = JsonDocument.Parse(stream.ToArray());
        JsonElement relay = doc.RootElement.GetProperty("relays")[0];
        Assert.Equal(
            ["depth", "events_awaiting_quorum", "sessions_pending", "sessions_published", "deliveries_given_up", "relays"],
            doc.RootElement.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(3, doc.RootElement.GetProperty("deliveries_given_up").GetInt64());
        Assert.False(relay.GetProperty("healthy").GetBoolean());
        Assert.Equal("2026-11-21T05:51:29Z", relay.GetProperty("last_error_at").GetString());
        Assert.Equal(JsonValueKind.Null, relay.GetProperty("last_success_at").ValueKind);
    }

    [Fact]
    public async Task Status_without_an_outbox_reports_intake_only()
    {
        await using IntakeHttpHarness http = await IntakeHttpHarness.StartAsync();

        using JsonDocument doc = JsonDocument.Parse(await http.Client.GetStringAsync("/status"));

        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("outbox").ValueKind);
        Assert.Equal(0, doc.RootElement.GetProperty("intake").GetProperty("otlp_open_traces").GetInt64());
    }

    [Fact]
    public async Task Status_answers_503_with_the_reason_when_the_outbox_cannot_be_read()
    {
        await using IntakeHttpHarness http = await IntakeHttpHarness.StartAsync(status: new BrokenStatus());

        HttpResponseMessage response = await http.Client.GetAsync("/status");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using JsonDocument doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("outbox.db: database disk image is malformed", doc.RootElement.GetProperty("outbox_error").GetString());
    }

    private sealed class BrokenStatus : IWorkerStatusSource
    {
        public Task<OutboxStatus> GetStatusAsync(CancellationToken cancellationToken) =>
            Task.FromException<OutboxStatus>(new InvalidOperationException("outbox.db: database disk image is malformed"));
    }

    private sealed class FixedStatus(OutboxStatus status) : IWorkerStatusSource
    {
        public Task<OutboxStatus> GetStatusAsync(CancellationToken cancellationToken) => Task.FromResult(status);
    }
}
