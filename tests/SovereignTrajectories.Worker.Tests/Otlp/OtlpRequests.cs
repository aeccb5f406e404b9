namespace SovereignTrajectories.Worker.Tests.Otlp;

/// <summary>Small OTLP/JSON export requests of gen_ai spans, written by hand for receiver tests.</summary>
internal static class OtlpRequests
{
    public const string TraceId = "0af7651916cd43dd8448eb211c80319c";

    /// <summary>One span of <see cref="TraceId"/> (or <paramref name="traceId"/>); <paramref name="parent"/> null makes it the root.</summary>
    public static string Span(string id, string? parent, string operation, int second, string traceId = TraceId)
    {
        long start = new DateTimeOffset(2026, 11, 20, 10, 0, second, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1_000_000;
        string parentField = parent is null ? string.Empty : $"\"parentSpanId\":\"{parent.PadLeft(16, '0')}\",";
        string tool = operation == "execute_tool"
            ? ",{\"key\":\"gen_ai.tool.name\",\"value\":{\"stringValue\":\"bash\"}},{\"key\":\"gen_ai.tool.call.result\",\"value\":{\"stringValue\":\"ok\"}}"
            : string.Empty;
        return $"{{\"traceId\":\"{traceId}\",\"spanId\":\"{id.PadLeft(16, '0')}\",{parentField}\"name\":\"{operation}\",\"startTimeUnixNano\":\"{start}\",\"endTimeUnixNano\":\"{start + 500_000_000}\",\"attributes\":[{{\"key\":\"gen_ai.operation.name\",\"value\":{{\"stringValue\":\"{operation}\"}}}}{tool}]}}";
    }

    /// <summary>An export request carrying <paramref name="spans"/> under one resource and scope.</summary>
    public static string Export(params string[] spans) =>
        $"{{\"resourceSpans\":[{{\"resource\":{{\"attributes\":[{{\"key\":\"service.name\",\"value\":{{\"stringValue\":\"t\"}}}}]}},\"scopeSpans\":[{{\"scope\":{{\"name\":\"t\"}},\"spans\":[{string.Join(',', spans)}]}}]}}]}}";
}
