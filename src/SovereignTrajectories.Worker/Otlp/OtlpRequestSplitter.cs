using System.Buffers;
using System.Text.Json;

namespace SovereignTrajectories.Worker.Otlp;

/// <summary>
/// Splits an OTLP/JSON export request by trace: for each trace, its spans re-wrapped with their
/// resource and scope, so the spans of one trace can be gathered over several requests and read
/// as one export later. The request must already have passed the OTLP reader's checks.
/// </summary>
internal static class OtlpRequestSplitter
{
    public static Dictionary<string, TracePart> Split(ReadOnlySpan<byte> json)
    {
        var parts = new Dictionary<string, TracePart>(StringComparer.Ordinal);
        using JsonDocument doc = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 64 });
        if (!doc.RootElement.TryGetProperty("resourceSpans", out JsonElement resourceSpans) || resourceSpans.ValueKind != JsonValueKind.Array)
        {
            return parts;
        }

        foreach (JsonElement rs in resourceSpans.EnumerateArray())
        {
            string? resource = rs.TryGetProperty("resource", out JsonElement r) && r.ValueKind == JsonValueKind.Object ? r.GetRawText() : null;
            if (!rs.TryGetProperty("scopeSpans", out JsonElement scopeSpans) || scopeSpans.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            // trace -> (scope raw, spans) for this resource
            var byTrace = new Dictionary<string, List<(string? Scope, List<SpanText> Spans)>>(StringComparer.Ordinal);
            foreach (JsonElement ss in scopeSpans.EnumerateArray())
            {
                string? scope = ss.TryGetProperty("scope", out JsonElement s) && s.ValueKind == JsonValueKind.Object ? s.GetRawText() : null;
                if (!ss.TryGetProperty("spans", out JsonElement spans) || spans.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                foreach (JsonElement span in spans.EnumerateArray())
                {
                    string traceId = span.GetProperty("traceId").GetString()!.ToLowerInvariant();
                    string spanId = span.GetProperty("spanId").GetString()!.ToLowerInvariant();
                    bool root = !span.TryGetProperty("parentSpanId", out JsonElement parent)
                        || parent.ValueKind == JsonValueKind.Null
                        || (parent.ValueKind == JsonValueKind.String && parent.GetString()!.Length == 0);
                    if (!byTrace.TryGetValue(traceId, out var scopes))
                    {
                        scopes = [];
                        byTrace[traceId] = scopes;
                    }

                    if (scopes.Count == 0 || !ReferenceEquals(scopes[^1].Scope, scope))
                    {
                        scopes.Add((scope, []));
                    }

                    scopes[^1].Spans.Add(new SpanText(spanId, root, span.GetRawText()));
                }
            }

            foreach ((string traceId, var scopes) in byTrace)
            {
                if (!parts.TryGetValue(traceId, out TracePart? part))
                {
                    part = new TracePart(traceId);
                    parts[traceId] = part;
                }

                part.Resources.Add(new ResourceText(resource, scopes.Select(x => new ScopeText(x.Scope, x.Spans)).ToList()));
            }
        }

        return parts;
    }

    /// <summary>An export request holding <paramref name="resources"/>, as the OTLP reader reads it.</summary>
    public static byte[] Compose(IEnumerable<ResourceText> resources)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("resourceSpans");
            foreach (ResourceText resource in resources)
            {
                w.WriteStartObject();
                if (resource.Resource is not null)
                {
                    w.WritePropertyName("resource");
                    w.WriteRawValue(resource.Resource, skipInputValidation: true);
                }

                w.WriteStartArray("scopeSpans");
                foreach (ScopeText scope in resource.Scopes)
                {
                    w.WriteStartObject();
                    if (scope.Scope is not null)
                    {
                        w.WritePropertyName("scope");
                        w.WriteRawValue(scope.Scope, skipInputValidation: true);
                    }

                    w.WriteStartArray("spans");
                    foreach (SpanText span in scope.Spans)
                    {
                        w.WriteRawValue(span.Json, skipInputValidation: true);
                    }

                    w.WriteEndArray();
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>One trace's spans from one request.</summary>
    internal sealed class TracePart(string traceId)
    {
        public string TraceId { get; } = traceId;

        public List<ResourceText> Resources { get; } = [];

        public IEnumerable<SpanText> Spans => Resources.SelectMany(r => r.Scopes).SelectMany(s => s.Spans);
    }

    internal sealed record ResourceText(string? Resource, List<ScopeText> Scopes);

    internal sealed record ScopeText(string? Scope, List<SpanText> Spans);

    internal sealed record SpanText(string SpanId, bool IsRoot, string Json);
}
