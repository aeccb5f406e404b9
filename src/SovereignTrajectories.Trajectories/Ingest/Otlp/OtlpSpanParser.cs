using System.Globalization;
using System.Text.Json;
using static SovereignTrajectories.Trajectories.Ingest.JsonFields;

namespace SovereignTrajectories.Trajectories.Ingest.Otlp;

/// <summary>
/// Reads one OTLP/JSON span (protobuf JSON mapping: hex trace/span ids, int64 times as decimal
/// strings, <c>AnyValue</c> attributes) into an <see cref="OtlpSpan"/>, keeping only what the mapping uses.
/// </summary>
internal static class OtlpSpanParser
{
    public static OtlpSpan Parse(JsonElement span, string path, long line, string? serviceName, string? serviceVersion)
    {
        RequireObject(span, path);
        string traceId = HexId(span, "traceId", 32, path);
        string spanId = HexId(span, "spanId", 16, path);
        string? parent = Str(span, "parentSpanId", path);
        if (parent is { Length: 0 })
        {
            parent = null;
        }
        else if (parent is not null)
        {
            parent = HexId(span, "parentSpanId", 16, path);
        }

        string name = Str(span, "name", path) ?? string.Empty;
        DateTimeOffset start = Nanos(span, "startTimeUnixNano", path) ?? throw new BadFieldException(Join(path, "startTimeUnixNano"), "is missing");
        DateTimeOffset? end = Nanos(span, "endTimeUnixNano", path);
        bool isError = false;
        string? statusMessage = null;
        if (Obj(span, "status", path) is JsonElement status)
        {
            // code is an enum: 2 or "STATUS_CODE_ERROR" means error
            if (Has(status, "code", out JsonElement code))
            {
                isError = code.ValueKind switch
                {
                    JsonValueKind.Number => code.TryGetInt32(out int c) && c == 2,
                    JsonValueKind.String => code.GetString() is "STATUS_CODE_ERROR" or "2",
                    _ => throw Wrong(path + ".status", "code", "a number or an enum name", code),
                };
            }

            statusMessage = Str(status, "message", path + ".status");
        }

        Dictionary<string, object> attributes = Attributes(span, path, Kept);
        isError |= attributes.ContainsKey("error.type");
        var events = new List<OtlpEvent>();
        if (Arr(span, "events", path) is JsonElement eventArray)
        {
            int i = 0;
            foreach (JsonElement ev in eventArray.EnumerateArray())
            {
                string evPath = $"{path}.events[{i++}]";
                RequireObject(ev, evPath);
                string evName = Str(ev, "name", evPath) ?? string.Empty;
                if (!evName.StartsWith("gen_ai.", StringComparison.Ordinal))
                {
                    continue; // only GenAI events feed steps; others would only cost memory
                }

                events.Add(new OtlpEvent(
                    evName,
                    Nanos(ev, "timeUnixNano", evPath) ?? start,
                    Attributes(ev, evPath)));
            }
        }

        return new OtlpSpan(traceId, spanId, parent, name, start, end, isError, statusMessage, attributes, events, serviceName, serviceVersion, line);
    }

    /// <summary>The attribute list of a resource, span or event as a key → value map (strings, longs, doubles, bools, JSON text for arrays and maps).</summary>
    public static Dictionary<string, object> Attributes(JsonElement owner, string path, Func<string, bool>? keep = null)
    {
        var map = new Dictionary<string, object>(StringComparer.Ordinal);
        if (Arr(owner, "attributes", path) is not JsonElement list)
        {
            return map;
        }

        int i = 0;
        foreach (JsonElement kv in list.EnumerateArray())
        {
            string kvPath = $"{path}.attributes[{i++}]";
            RequireObject(kv, kvPath);
            string key = ReqStr(kv, "key", kvPath);
            if (keep is not null && !keep(key))
            {
                continue;
            }

            if (Obj(kv, "value", kvPath) is JsonElement value && AnyValue(value, kvPath + ".value") is object v)
            {
                map[key] = v;
            }
        }

        return map;
    }

    /// <summary>Span attributes the mapping reads; others are dropped while streaming.</summary>
    private static bool Kept(string key) =>
        key.StartsWith("gen_ai.", StringComparison.Ordinal) || key is "error.type" or "process.exit.code" or "process.command_line";

    private static object? AnyValue(JsonElement value, string path)
    {
        foreach (JsonProperty p in value.EnumerateObject())
        {
            switch (p.Name)
            {
                case "stringValue":
                    return p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : throw Wrong(path, p.Name, "a string", p.Value);
                case "intValue":
                    return Long(value, p.Name, path);
                case "doubleValue":
                    return Double(value, p.Name, path);
                case "boolValue":
                    return Bool(value, p.Name, path);
                case "arrayValue" or "kvlistValue" or "bytesValue":
                    return p.Value.GetRawText();
            }
        }

        return null;
    }

    private static string HexId(JsonElement obj, string name, int length, string path)
    {
        string id = Str(obj, name, path) ?? throw new BadFieldException(Join(path, name), "is missing");
        if (id.Length != length || !id.All(char.IsAsciiHexDigit))
        {
            throw new BadFieldException(Join(path, name), $"'{IngestIds.Shorten(id)}' is not {length} hex characters (OTLP/JSON writes ids as hex, not base64)");
        }

        return id.ToLowerInvariant();
    }

    private static DateTimeOffset? Nanos(JsonElement obj, string name, string path)
    {
        if (!Has(obj, name, out JsonElement v))
        {
            return null;
        }

        ulong nanos;
        if (v.ValueKind == JsonValueKind.String)
        {
            if (!ulong.TryParse(v.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out nanos))
            {
                throw new BadFieldException(Join(path, name), $"'{IngestIds.Shorten(v.GetString()!)}' is not a count of nanoseconds");
            }
        }
        else if (v.ValueKind != JsonValueKind.Number || !v.TryGetUInt64(out nanos))
        {
            throw Wrong(path, name, "nanoseconds as a decimal string", v);
        }

        if (nanos == 0)
        {
            return null;
        }

        // 253402300799 s is 9999-12-31T23:59:59Z, the last instant DateTimeOffset holds.
        if (nanos / 1_000_000_000UL > 253402300799UL)
        {
            throw new BadFieldException(Join(path, name), $"{nanos} ns is after the year 9999");
        }

        return DateTimeOffset.UnixEpoch.AddTicks((long)(nanos / 100));
    }
}
