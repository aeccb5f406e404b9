using System.Text;
using SovereignTrajectories.Trajectories.Ingest;
using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Trajectories.Tests.Ingest;

public sealed class OtlpReaderTests
{
    internal static string Span(string trace, string span, string? parent, string op, long startMs, long endMs, string extraAttributes = "", string events = "") =>
        "{\"traceId\":\"" + trace + "\",\"spanId\":\"" + span + "\"" + (parent is null ? "" : ",\"parentSpanId\":\"" + parent + "\"")
        + ",\"name\":\"" + op + "\",\"startTimeUnixNano\":\"" + ((startMs + BaseMs) * 1_000_000) + "\",\"endTimeUnixNano\":\"" + ((endMs + BaseMs) * 1_000_000) + "\","
        + "\"attributes\":[{\"key\":\"gen_ai.operation.name\",\"value\":{\"stringValue\":\"" + op + "\"}}" + extraAttributes + "]" + events + "}";

    private static string Export(params string[] spans) =>
        "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"svc\"}}]},\"scopeSpans\":[{\"spans\":["
        + string.Join(",", spans) + "]}]}]}";

    /// <summary>2023-11-14T22:13:20Z: span times are offsets from here (0 ns means "unset" in OTLP).</summary>
    private const long BaseMs = 1_700_000_000_000;

    internal const string T1 = "0af7651916cd43dd8448eb211c80319c";
    private const string T2 = "1bf7651916cd43dd8448eb211c80319d";

    [Fact]
    public async Task Each_trace_becomes_one_trajectory()
    {
        string doc = Export(
            Span(T1, "00f067aa0ba902b7", null, "invoke_agent", 0, 100),
            Span(T2, "10f067aa0ba902b7", null, "invoke_agent", 0, 100),
            Span(T1, "20f067aa0ba902b7", "00f067aa0ba902b7", "execute_tool", 10, 20, """,{"key":"gen_ai.tool.name","value":{"stringValue":"bash"}}"""));
        IngestResult result = await IngestSamples.ReadAsync(doc, TrajectoryFormat.Otlp);
        Assert.Equal([T1, T2], result.Trajectories.Select(t => t.Session.Sid));
        Assert.Single(result.Trajectories[0].Steps.OfType<ToolStep>());
        Assert.Empty(result.Trajectories[1].Steps);
    }

    [Fact]
    public async Task Collector_file_export_with_one_request_per_line_is_read()
    {
        string doc = Export(Span(T1, "00f067aa0ba902b7", null, "invoke_agent", 0, 100)) + "\n"
            + Export(Span(T1, "20f067aa0ba902b7", "00f067aa0ba902b7", "chat", 10, 20, """,{"key":"gen_ai.usage.input_tokens","value":{"intValue":"7"}}""")) + "\n";
        Trajectory t = (await IngestSamples.ReadAsync(doc, TrajectoryFormat.Otlp)).Single();
        Assert.Equal(7, t.TotalUsage!.TokensIn);
        Assert.Contains(t.Notes, n => n.Code == "no-content");
    }

    [Fact]
    public async Task Trace_without_its_root_span_is_incomplete()
    {
        string doc = Export(Span(T1, "20f067aa0ba902b7", "00f067aa0ba902b7", "execute_tool", 10, 20));
        Trajectory t = (await IngestSamples.ReadAsync(doc, TrajectoryFormat.Otlp)).Single();
        Assert.False(t.Session.IsComplete);
        Assert.Contains(t.Notes, n => n.Code == "incomplete");
    }

    [Fact]
    public async Task Base64_ids_are_rejected_naming_the_span_and_field()
    {
        string doc = Export(Span("Cvdl GRbNQ92ESOshHIAxnA==", "00f067aa0ba902b7", null, "invoke_agent", 0, 100));
        var ex = await Assert.ThrowsAsync<IngestException>(() => IngestSamples.ReadAsync(doc, TrajectoryFormat.Otlp));
        Assert.Equal("resourceSpans[0].scopeSpans[0].spans[0].traceId", ex.Field);
        Assert.Contains("hex, not base64", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, ex.Line);
    }

    [Fact]
    public async Task Truncated_export_is_an_error_with_a_line()
    {
        string doc = Export(Span(T1, "00f067aa0ba902b7", null, "invoke_agent", 0, 100));
        var ex = await Assert.ThrowsAsync<IngestException>(() => IngestSamples.ReadAsync(doc[..^10], TrajectoryFormat.Otlp));
        Assert.NotNull(ex.Line);
    }

    [Fact]
    public async Task Span_larger_than_the_element_limit_is_rejected()
    {
        string big = """,{"key":"gen_ai.tool.call.result","value":{"stringValue":" """ + new string('x', 300_000) + "\"}}";
        string doc = Export(Span(T1, "00f067aa0ba902b7", null, "execute_tool", 0, 100, big));
        var ex = await Assert.ThrowsAsync<IngestException>(() => IngestSamples.ReadAsync(doc, TrajectoryFormat.Otlp, new IngestOptions { MaxElementBytes = 128 * 1024 }));
        Assert.Contains("larger than the limit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Span_bigger_than_the_read_buffer_is_read_whole()
    {
        string big = """,{"key":"gen_ai.tool.call.result","value":{"stringValue":" """ + new string('x', 300_000) + "\"}}";
        string doc = Export(Span(T1, "00f067aa0ba902b7", null, "execute_tool", 0, 100, big));
        Trajectory t = (await IngestSamples.ReadAsync(doc, TrajectoryFormat.Otlp)).Single();
        Assert.Equal(300_001, Assert.Single(t.Steps.OfType<ToolStep>()).Output.Length);
    }

    [Fact]
    public async Task Non_feedback_evaluation_becomes_a_verification_and_feedback_a_reward()
    {
        string events = """
            ,"events":[{"name":"gen_ai.evaluation.result","timeUnixNano":"50000000","attributes":[{"key":"gen_ai.evaluation.name","value":{"stringValue":"relevance"}},{"key":"gen_ai.evaluation.score.label","value":{"stringValue":"fail"}}]},
                       {"name":"gen_ai.evaluation.result","timeUnixNano":"60000000","attributes":[{"key":"gen_ai.evaluation.name","value":{"stringValue":"user_feedback"}},{"key":"gen_ai.evaluation.score.value","value":{"doubleValue":-0.5}}]}]
            """;
        Trajectory t = (await IngestSamples.ReadAsync(Export(Span(T1, "00f067aa0ba902b7", null, "invoke_agent", 0, 100, "", events)), TrajectoryFormat.Otlp)).Single();
        VerificationStep v = Assert.Single(t.Verifications);
        Assert.Equal(("relevance", VerificationKind.Other, false), (v.Command, v.Kind, v.Succeeded));
        Assert.Null(v.Statement); // attached after redaction when publishing
        Assert.Matches("^[0-9a-f]{64}$", v.OutputSha256);
        RewardStep r = Assert.Single(t.Steps.OfType<RewardStep>());
        Assert.Equal((RewardSignal.Score, -0.5), (r.Signal, r.Value));
    }

    [Fact]
    public async Task Only_new_user_messages_of_each_call_become_user_steps()
    {
        static string Msgs(string json) => ",{\"key\":\"gen_ai.input.messages\",\"value\":{\"stringValue\":" + System.Text.Json.JsonSerializer.Serialize(json) + "}}";
        string first = Msgs("""[{"role":"user","parts":[{"type":"text","content":"hi"}]}]""");
        string second = Msgs("""[{"role":"user","parts":[{"type":"text","content":"hi"}]},{"role":"assistant","parts":[{"type":"text","content":"yo"}]},{"role":"user","parts":[{"type":"text","content":"more"}]}]""");
        string doc = Export(
            Span(T1, "00f067aa0ba902b7", null, "invoke_agent", 0, 100),
            Span(T1, "20f067aa0ba902b7", "00f067aa0ba902b7", "chat", 10, 20, first),
            Span(T1, "30f067aa0ba902b7", "00f067aa0ba902b7", "chat", 30, 40, second));
        Trajectory t = (await IngestSamples.ReadAsync(doc, TrajectoryFormat.Otlp)).Single();
        Assert.Equal(["hi", "more"], t.Steps.OfType<UserStep>().Select(u => u.Content));
    }

    [Fact]
    public async Task Input_without_spans_is_an_error()
    {
        var ex = await Assert.ThrowsAsync<IngestException>(() => IngestSamples.ReadAsync("""{"resourceSpans":[]}""", TrajectoryFormat.Otlp));
        Assert.Contains("no spans", ex.Message, StringComparison.Ordinal);
    }
}
