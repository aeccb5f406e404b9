using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SovereignTrajectories.Benchmarks.Ingest;

/// <summary>
/// Writes large synthetic inputs straight to disk (never held in memory): a Claude Code session log
/// of many fix-and-test turns, and an OTLP/JSON export whose single spans array holds many agent
/// traces. The shapes follow samples/claude and samples/otlp.
/// </summary>
internal static class IngestBenchFiles
{
    private static readonly string TestOutput = string.Concat(Enumerable.Repeat("tests/test_calc.py::test_case PASSED\n", 40)) + "40 passed in 0.21s";

    public static void WriteClaude(string path, long targetBytes)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        var start = new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
        int turn = 0;
        var options = new JsonWriterOptions { SkipValidation = false };
        while (stream.Length < targetBytes)
        {
            DateTimeOffset t = start.AddSeconds(turn * 10);
            string prefix = turn.ToString("x8", CultureInfo.InvariantCulture);
            Line(stream, options, w =>
            {
                Header(w, "user", $"{prefix}-u1", t);
                w.WriteStartObject("message");
                w.WriteString("role", "user");
                w.WriteString("content", $"Turn {turn}: the build is red again, please fix divide() and run the tests.");
                w.WriteEndObject();
            });
            Line(stream, options, w =>
            {
                Header(w, "assistant", $"{prefix}-a1", t.AddSeconds(1));
                Assistant(w, $"msg_{prefix}", w2 =>
                {
                    w2.WriteStartObject();
                    w2.WriteString("type", "thinking");
                    w2.WriteString("thinking", "Run the suite first, then read the failing assertion before editing anything. " + new string('.', 200));
                    w2.WriteString("signature", "EqQBCkYIBxgCKkDk3n0Rr0tqfG9lq3xv1bqU2m0p");
                    w2.WriteEndObject();
                });
            });
            Line(stream, options, w =>
            {
                Header(w, "assistant", $"{prefix}-a2", t.AddSeconds(2));
                Assistant(w, $"msg_{prefix}", w2 =>
                {
                    w2.WriteStartObject();
                    w2.WriteString("type", "tool_use");
                    w2.WriteString("id", $"toolu_{prefix}");
                    w2.WriteString("name", "Bash");
                    w2.WriteStartObject("input");
                    w2.WriteString("command", "python -m pytest -q");
                    w2.WriteEndObject();
                    w2.WriteEndObject();
                });
            });
            Line(stream, options, w =>
            {
                Header(w, "user", $"{prefix}-u2", t.AddSeconds(4));
                w.WriteStartObject("message");
                w.WriteString("role", "user");
                w.WriteStartArray("content");
                w.WriteStartObject();
                w.WriteString("type", "tool_result");
                w.WriteString("tool_use_id", $"toolu_{prefix}");
                w.WriteString("content", TestOutput);
                w.WriteBoolean("is_error", false);
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteEndObject();
            });
            Line(stream, options, w =>
            {
                Header(w, "assistant", $"{prefix}-a3", t.AddSeconds(5));
                Assistant(w, $"msg_{prefix}b", w2 =>
                {
                    w2.WriteStartObject();
                    w2.WriteString("type", "text");
                    w2.WriteString("text", "All 40 tests pass now; divide() uses true division.");
                    w2.WriteEndObject();
                });
            });
            turn++;
        }
    }

    public static void WriteOtlp(string path, long targetBytes)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        using var w = new Utf8JsonWriter(stream);
        w.WriteStartObject();
        w.WriteStartArray("resourceSpans");
        w.WriteStartObject();
        w.WriteStartObject("resource");
        w.WriteStartArray("attributes");
        Attr(w, "service.name", "calc-fixer");
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteStartArray("scopeSpans");
        w.WriteStartObject();
        w.WriteStartArray("spans");
        long baseNanos = 1_795_000_000L * 1_000_000_000L;
        int trace = 0;
        while (stream.Length + w.BytesPending < targetBytes)
        {
            string traceId = trace.ToString("x32", CultureInfo.InvariantCulture);
            string root = (trace * 100L).ToString("x16", CultureInfo.InvariantCulture);
            long t0 = baseNanos + trace * 60_000_000_000L;
            Span(w, traceId, root, null, "invoke_agent", t0, t0 + 50_000_000_000L, [("gen_ai.agent.name", "calc-fixer"), ("gen_ai.request.model", "gpt-4.1")]);
            string history = "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"pytest fails on test_divide, please fix calc.py\"}]}]";
            for (int i = 1; i <= 8; i++)
            {
                long s = t0 + i * 5_000_000_000L;
                string chatId = (trace * 100L + i * 2).ToString("x16", CultureInfo.InvariantCulture);
                string output = "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"reasoning\",\"content\":\"check the failing assertion\"},{\"type\":\"text\",\"content\":\"Running the tests again.\"}]}]";
                Span(w, traceId, chatId, root, "chat", s, s + 2_000_000_000L,
                    [("gen_ai.request.model", "gpt-4.1"), ("gen_ai.input.messages", history), ("gen_ai.output.messages", output)], ("gen_ai.usage.input_tokens", 2000 + i), ("gen_ai.usage.output_tokens", 40));
                string toolId = (trace * 100L + i * 2 + 1).ToString("x16", CultureInfo.InvariantCulture);
                Span(w, traceId, toolId, root, "execute_tool", s + 2_100_000_000L, s + 3_000_000_000L,
                    [("gen_ai.tool.name", "bash"), ("gen_ai.tool.call.id", $"call_{i}"), ("gen_ai.tool.call.arguments", "{\"command\":\"python -m pytest -q\"}"), ("gen_ai.tool.call.result", TestOutput)]);
            }

            trace++;
            w.Flush();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Span(Utf8JsonWriter w, string traceId, string spanId, string? parent, string op, long start, long end, (string Key, string Value)[] attributes, params (string Key, long Value)[] ints)
    {
        w.WriteStartObject();
        w.WriteString("traceId", traceId);
        w.WriteString("spanId", spanId);
        if (parent is not null)
        {
            w.WriteString("parentSpanId", parent);
        }

        w.WriteString("name", op);
        w.WriteString("startTimeUnixNano", start.ToString(CultureInfo.InvariantCulture));
        w.WriteString("endTimeUnixNano", end.ToString(CultureInfo.InvariantCulture));
        w.WriteStartArray("attributes");
        Attr(w, "gen_ai.operation.name", op);
        foreach ((string key, string value) in attributes)
        {
            Attr(w, key, value);
        }

        foreach ((string key, long value) in ints)
        {
            w.WriteStartObject();
            w.WriteString("key", key);
            w.WriteStartObject("value");
            w.WriteString("intValue", value.ToString(CultureInfo.InvariantCulture));
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Attr(Utf8JsonWriter w, string key, string value)
    {
        w.WriteStartObject();
        w.WriteString("key", key);
        w.WriteStartObject("value");
        w.WriteString("stringValue", value);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Line(Stream stream, JsonWriterOptions options, Action<Utf8JsonWriter> body)
    {
        using (var w = new Utf8JsonWriter(stream, options))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
    }

    private static void Header(Utf8JsonWriter w, string type, string uuid, DateTimeOffset at)
    {
        w.WriteString("type", type);
        w.WriteString("uuid", uuid);
        w.WriteString("sessionId", "3f1c2b7e-8d4a-4e0b-9a61-5c2f7d9e1a04");
        w.WriteString("version", "2.0.14");
        w.WriteString("cwd", "/home/dev/calc");
        w.WriteBoolean("isSidechain", false);
        w.WriteString("timestamp", at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
    }

    private static void Assistant(Utf8JsonWriter w, string id, Action<Utf8JsonWriter> block)
    {
        w.WriteStartObject("message");
        w.WriteString("id", id);
        w.WriteString("type", "message");
        w.WriteString("role", "assistant");
        w.WriteString("model", "claude-sonnet-4-5-20250929");
        w.WriteStartArray("content");
        block(w);
        w.WriteEndArray();
        w.WriteStartObject("usage");
        w.WriteNumber("input_tokens", 6);
        w.WriteNumber("cache_read_input_tokens", 16000);
        w.WriteNumber("output_tokens", 80);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
