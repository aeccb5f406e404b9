using System.Net;
using System.Text;
using System.Text.Json;
using SovereignTrajectories.Testing;
using SovereignTrajectories.Trajectories.Model;
using SovereignTrajectories.Worker.Tests.Http;
using SovereignTrajectories.Worker.Tests.Intake;
using static SovereignTrajectories.Worker.Tests.Otlp.OtlpRequests;

namespace SovereignTrajectories.Worker.Tests.Otlp;

public sealed class OtlpReceiverTests
{
    [Theory]
    [InlineData("--batch")]
    [InlineData("--simple")]
    public async Task Stores_the_run_an_OpenTelemetry_JS_exporter_sends_once_its_root_span_arrived(string mode)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2)); // hang guard only
        // A grace period for spans still in flight: the simple processor sends spans concurrently.
        await using IntakeHttpHarness http = await IntakeHttpHarness.StartAsync(configure: o => o.Otlp.RootGracePeriod = TimeSpan.FromSeconds(1));
        var stored = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        http.Monitor.TraceStored += id => stored.TrySetResult(id);

        string output = await NodePeer.RunAsync("otlp-export.mjs", [http.BaseAddress.ToString(), mode], ct: cts.Token);

        using JsonDocument printed = JsonDocument.Parse(output);
        string traceId = printed.RootElement.GetProperty("traceId").GetString()!;
        Assert.Equal(traceId, await stored.Task.WaitAsync(cts.Token));
        Trajectory run = Assert.Single(http.Sink.Sessions);
        Assert.Equal(traceId, run.Session.Sid);
        Assert.True(run.Session.IsComplete);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 10, 0, 7, TimeSpan.Zero), run.Session.EndedAt);
        Assert.Equal("demo-model-1", run.Session.Model);
        Assert.Collection(
            run.Steps,
            s => Assert.Equal("test_divide fails in calc.py; please fix it", Assert.IsType<UserStep>(s).Content),
            s => Assert.Equal("I will run the tests first.", Assert.IsType<AgentStep>(s).Content),
            s =>
            {
                ToolStep tool = Assert.IsType<ToolStep>(s);
                Assert.Equal("read_file", tool.Name);
                Assert.Contains("return a * b", tool.Output, StringComparison.Ordinal);
            },
            s => Assert.Equal("divide multiplies; changed it to a / b.", Assert.IsType<AgentStep>(s).Content));
        Assert.Equal(0, http.Assembler.OpenTraceCount);
        Assert.Equal(printed.RootElement.GetProperty("spans").GetInt32(), (int)http.Monitor.Snapshot().SpansReceived);
    }

    [Fact]
    public async Task A_trace_whose_root_never_arrives_ends_after_the_idle_timeout()
    {
        var clock = new ManualClock();
        await using IntakeHttpHarness http = await IntakeHttpHarness.StartAsync(clock);

        await NodePeer.RunAsync("otlp-export.mjs", [http.BaseAddress.ToString(), "--no-root"]);
        Assert.Empty(http.Sink.Sessions);
        Assert.Equal(1, http.Assembler.OpenTraceCount);

        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, await http.Assembler.SweepAsync(CancellationToken.None));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await http.Assembler.SweepAsync(CancellationToken.None));

        Trajectory run = Assert.Single(http.Sink.Sessions);
        Assert.True(run.Session.IsComplete);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 10, 0, 6, TimeSpan.Zero), run.Session.EndedAt); // its last step (the last chat span's end)
        Assert.Equal(4, run.Steps.Count);
    }

    [Fact]
    public async Task With_no_grace_period_the_request_carrying_the_root_is_answered_once_the_run_is_stored()
    {
        await using IntakeHttpHarness http = await IntakeHttpHarness.StartAsync();

        await NodePeer.RunAsync("otlp-export.mjs", [http.BaseAddress.ToString(), "--batch"]);

        // The exporter waits for its answer before the script exits: the run is there now.
        Trajectory run = Assert.Single(http.Sink.Sessions);
        Assert.Equal(4, run.Steps.Count);
        Assert.True(run.Session.IsComplete);
    }

    [Fact]
    public async Task Stores_the_same_run_from_an_OTLP_protobuf_request_encoded_by_OpenTelemetry()
    {
        await using IntakeHttpHarness http = await IntakeHttpHarness.StartAsync();

        string output = await NodePeer.RunAsync("otlp-export.mjs", [http.BaseAddress.ToString(), "--protobuf"]);

        using JsonDocument printed = JsonDocument.Parse(output);
        Assert.Equal(200, printed.RootElement.GetProperty("status").GetInt32());
        Trajectory run = Assert.Single(http.Sink.Sessions);
        Assert.Equal(printed.RootElement.GetProperty("traceId").GetString(), run.Session.Sid);
        Assert.True(run.Session.IsComplete);
        Assert.Equal(["user", "agent", "tool", "agent"], run.Steps.Select(s => s.TypeName));
        Assert.Equal("read_file", run.Steps.OfType<ToolStep>().Single().Name);
        Assert.Equal(new Usage(420, 32, 0), run.TotalUsage);
    }

    [Fact]
    public async Task Refuses_a_malformed_protobuf_request_with_400_and_a_protobuf_status_giving_the_reason()
    {
        await using IntakeHttpHarness http = await IntakeHttpHarness.StartAsync();

        using var content = new ByteArrayContent([0x0A, 0x05, 0x61, 0x62]); // field 1, length 5, only 2 bytes follow
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-protobuf");
        HttpResponseMessage response = await http.Client.PostAsync("/v1/traces", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/x-protobuf", response.Content.Headers.ContentType?.MediaType);
        string status = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
        Assert.Contains("not an OTLP protobuf ExportTraceServiceRequest (length 5 runs past the end of the message)", status, StringComparison.Ordinal);
        Assert.Empty(http.Sink.Calls);
    }

    [Fact]
    public async Task Takes_a_gzip_compressed_json_request()
    {
        await using IntakeHttpHarness http = await IntakeHttpHarness.StartAsync();
        using var packed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(packed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(Export(Span("a1", null, "invoke_agent", 1), Span("b1", "a1", "execute_tool", 2))));
        }

        using var content = new ByteArrayContent(packed.ToArray());
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");
        HttpResponseMessage response = await http.Client.PostAsync("/v1/traces", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(Assert.Single(http.Sink.Sessions).Steps.OfType<ToolStep>());
    }

    [Fact]
    public async Task Spans_sent_again_are_taken_once_and_spans_after_the_end_are_refused_as_late()
    {
        await using IntakeHttpHarness http = await IntakeHttpHarness.StartAsync();
        string child = Export(Span("b1", "a1", "execute_tool", 2));
        string root = Export(Span("a1", null, "invoke_agent", 1));

        Assert.Equal(HttpStatusCode.OK, (await Post(http, child)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Post(http, child)).StatusCode); // exporter retry
        Assert.Equal(HttpStatusCode.OK, (await Post(http, root)).StatusCode);
        Assert.Single(Assert.Single(http.Sink.Sessions).Steps.OfType<ToolStep>());

        HttpResponseMessage late = await Post(http, child);
        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        using JsonDocument body = JsonDocument.Parse(await late.Content.ReadAsStringAsync());
        Assert.Equal("1", body.RootElement.GetProperty("partialSuccess").GetProperty("rejectedSpans").GetString());
        Assert.Single(http.Sink.Calls);
    }

    [Theory]
    [InlineData("application/json", "not json at all", 400, "not an OTLP/JSON trace export")]
    [InlineData("text/plain", "{}", 415, "application/json")]
    [InlineData("application/json", "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"xyz\",\"spanId\":\"00000000000000b1\",\"startTimeUnixNano\":\"1\"}]}]}]}", 400, "traceId")]
    [InlineData("application/json", "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\",\"spanId\":\"00000000000000b1\"}]}]}]}", 400, "startTimeUnixNano")]
    public async Task Refuses_a_bad_export_request_with_a_4xx_and_the_reason(string contentType, string body, int status, string reason)
    {
        await using IntakeHttpHarness http = await IntakeHttpHarness.StartAsync();

        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        HttpResponseMessage response = await http.Client.PostAsync("/v1/traces", content);

        Assert.Equal(status, (int)response.StatusCode);
        using JsonDocument error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(reason, error.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(http.Sink.Calls);

        // Nothing else disturbed: a good request still goes through.
        Assert.Equal(HttpStatusCode.OK, (await Post(http, Export(Span("a1", null, "invoke_agent", 1)))).StatusCode);
        Assert.Single(http.Sink.Sessions);
    }

    private static Task<HttpResponseMessage> Post(IntakeHttpHarness http, string json) =>
        http.Client.PostAsync("/v1/traces", new StringContent(json, Encoding.UTF8, "application/json"));
}
