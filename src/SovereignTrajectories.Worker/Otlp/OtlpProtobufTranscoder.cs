using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SovereignTrajectories.Worker.Otlp;

/// <summary>
/// Turns an OTLP/HTTP protobuf <c>ExportTraceServiceRequest</c> into the equivalent OTLP/JSON
/// request (the protobuf JSON mapping: hex ids, int64 as decimal strings, camelCase names), so both
/// encodings go through the same checks and the same adapter. Field numbers follow
/// opentelemetry-proto (trace/v1, common/v1, resource/v1). Links are dropped (the mapping does not
/// use them); unknown fields are skipped as protobuf requires.
/// </summary>
internal static class OtlpProtobufTranscoder
{
    private const int Varint = 0;
    private const int Fixed64 = 1;
    private const int Bytes = 2;
    private const int Fixed32 = 5;
    private const int MaxAnyValueDepth = 16;

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    /// <exception cref="InvalidDataException">Not a well-formed ExportTraceServiceRequest; the message says where.</exception>
    public static byte[] ToJson(ReadOnlySpan<byte> protobuf)
    {
        var buffer = new ArrayBufferWriter<byte>(protobuf.Length * 2 + 64);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("resourceSpans");
            var reader = new ProtoReader(protobuf);
            int index = 0;
            while (!reader.End)
            {
                (int field, int type) = reader.ReadTag();
                if (field == 1)
                {
                    ProtoReader.Expect(field, type, Bytes, "ExportTraceServiceRequest");
                    ResourceSpans(w, reader.ReadBytes(), $"resourceSpans[{index++}]");
                }
                else
                {
                    reader.Skip(type);
                }
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void ResourceSpans(Utf8JsonWriter w, ReadOnlySpan<byte> data, string path)
    {
        // Collected first so each JSON property is written once, whatever order the fields came in.
        byte[]? resource = null;
        string? schemaUrl = null;
        var scopes = new List<byte[]>();
        var reader = new ProtoReader(data);
        while (!reader.End)
        {
            (int field, int type) = reader.ReadTag();
            switch (field)
            {
                case 1:
                    ProtoReader.Expect(field, type, Bytes, path);
                    resource = reader.ReadBytes().ToArray();
                    break;
                case 2:
                    ProtoReader.Expect(field, type, Bytes, path);
                    scopes.Add(reader.ReadBytes().ToArray());
                    break;
                case 3:
                    ProtoReader.Expect(field, type, Bytes, path);
                    schemaUrl = Utf8(reader.ReadBytes(), path + ".schemaUrl");
                    break;
                default:
                    reader.Skip(type);
                    break;
            }
        }

        w.WriteStartObject();
        if (resource is not null)
        {
            w.WritePropertyName("resource");
            AttributesOnly(w, resource, path + ".resource", attributesField: 1);
        }

        w.WriteStartArray("scopeSpans");
        for (int i = 0; i < scopes.Count; i++)
        {
            ScopeSpans(w, scopes[i], $"{path}.scopeSpans[{i}]");
        }

        w.WriteEndArray();
        if (schemaUrl is not null)
        {
            w.WriteString("schemaUrl", schemaUrl);
        }

        w.WriteEndObject();
    }

    private static void ScopeSpans(Utf8JsonWriter w, ReadOnlySpan<byte> data, string path)
    {
        byte[]? scope = null;
        var spans = new List<byte[]>();
        var reader = new ProtoReader(data);
        while (!reader.End)
        {
            (int field, int type) = reader.ReadTag();
            switch (field)
            {
                case 1:
                    ProtoReader.Expect(field, type, Bytes, path);
                    scope = reader.ReadBytes().ToArray();
                    break;
                case 2:
                    ProtoReader.Expect(field, type, Bytes, path);
                    spans.Add(reader.ReadBytes().ToArray());
                    break;
                default:
                    reader.Skip(type);
                    break;
            }
        }

        w.WriteStartObject();
        if (scope is not null)
        {
            w.WritePropertyName("scope");
            Scope(w, scope, path + ".scope");
        }

        w.WriteStartArray("spans");
        for (int i = 0; i < spans.Count; i++)
        {
            Span(w, spans[i], $"{path}.spans[{i}]");
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Scope(Utf8JsonWriter w, ReadOnlySpan<byte> data, string path)
    {
        w.WriteStartObject();
        var reader = new ProtoReader(data);
        var attributes = new List<byte[]>();
        while (!reader.End)
        {
            (int field, int type) = reader.ReadTag();
            switch (field)
            {
                case 1:
                    ProtoReader.Expect(field, type, Bytes, path);
                    w.WriteString("name", Utf8(reader.ReadBytes(), path + ".name"));
                    break;
                case 2:
                    ProtoReader.Expect(field, type, Bytes, path);
                    w.WriteString("version", Utf8(reader.ReadBytes(), path + ".version"));
                    break;
                case 3:
                    ProtoReader.Expect(field, type, Bytes, path);
                    attributes.Add(reader.ReadBytes().ToArray());
                    break;
                default:
                    reader.Skip(type);
                    break;
            }
        }

        WriteAttributes(w, attributes, path);
        w.WriteEndObject();
    }

    private static void AttributesOnly(Utf8JsonWriter w, ReadOnlySpan<byte> data, string path, int attributesField)
    {
        w.WriteStartObject();
        var reader = new ProtoReader(data);
        var attributes = new List<byte[]>();
        while (!reader.End)
        {
            (int field, int type) = reader.ReadTag();
            if (field == attributesField)
            {
                ProtoReader.Expect(field, type, Bytes, path);
                attributes.Add(reader.ReadBytes().ToArray());
            }
            else
            {
                reader.Skip(type);
            }
        }

        WriteAttributes(w, attributes, path);
        w.WriteEndObject();
    }

    private static void Span(Utf8JsonWriter w, ReadOnlySpan<byte> data, string path)
    {
        w.WriteStartObject();
        var reader = new ProtoReader(data);
        var attributes = new List<byte[]>();
        var events = new List<byte[]>();
        while (!reader.End)
        {
            (int field, int type) = reader.ReadTag();
            switch (field)
            {
                case 1:
                    ProtoReader.Expect(field, type, Bytes, path);
                    w.WriteString("traceId", Convert.ToHexStringLower(reader.ReadBytes()));
                    break;
                case 2:
                    ProtoReader.Expect(field, type, Bytes, path);
                    w.WriteString("spanId", Convert.ToHexStringLower(reader.ReadBytes()));
                    break;
                case 3:
                    ProtoReader.Expect(field, type, Bytes, path);
                    w.WriteString("traceState", Utf8(reader.ReadBytes(), path + ".traceState"));
                    break;
                case 4:
                    ProtoReader.Expect(field, type, Bytes, path);
                    w.WriteString("parentSpanId", Convert.ToHexStringLower(reader.ReadBytes()));
                    break;
                case 5:
                    ProtoReader.Expect(field, type, Bytes, path);
                    w.WriteString("name", Utf8(reader.ReadBytes(), path + ".name"));
                    break;
                case 6:
                    ProtoReader.Expect(field, type, Varint, path);
                    w.WriteNumber("kind", (int)reader.ReadVarint());
                    break;
                case 7:
                    ProtoReader.Expect(field, type, Fixed64, path);
                    w.WriteString("startTimeUnixNano", reader.ReadFixed64().ToString(CultureInfo.InvariantCulture));
                    break;
                case 8:
                    ProtoReader.Expect(field, type, Fixed64, path);
                    w.WriteString("endTimeUnixNano", reader.ReadFixed64().ToString(CultureInfo.InvariantCulture));
                    break;
                case 9:
                    ProtoReader.Expect(field, type, Bytes, path);
                    attributes.Add(reader.ReadBytes().ToArray());
                    break;
                case 11:
                    ProtoReader.Expect(field, type, Bytes, path);
                    events.Add(reader.ReadBytes().ToArray());
                    break;
                case 15:
                    ProtoReader.Expect(field, type, Bytes, path);
                    w.WritePropertyName("status");
                    Status(w, reader.ReadBytes(), path + ".status");
                    break;
                default:
                    reader.Skip(type);
                    break;
            }
        }

        WriteAttributes(w, attributes, path);
        if (events.Count > 0)
        {
            w.WriteStartArray("events");
            for (int i = 0; i < events.Count; i++)
            {
                Event(w, events[i], $"{path}.events[{i}]");
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    private static void Event(Utf8JsonWriter w, ReadOnlySpan<byte> data, string path)
    {
        w.WriteStartObject();
        var reader = new ProtoReader(data);
        var attributes = new List<byte[]>();
        while (!reader.End)
        {
            (int field, int type) = reader.ReadTag();
            switch (field)
            {
                case 1:
                    ProtoReader.Expect(field, type, Fixed64, path);
                    w.WriteString("timeUnixNano", reader.ReadFixed64().ToString(CultureInfo.InvariantCulture));
                    break;
                case 2:
                    ProtoReader.Expect(field, type, Bytes, path);
                    w.WriteString("name", Utf8(reader.ReadBytes(), path + ".name"));
                    break;
                case 3:
                    ProtoReader.Expect(field, type, Bytes, path);
                    attributes.Add(reader.ReadBytes().ToArray());
                    break;
                default:
                    reader.Skip(type);
                    break;
            }
        }

        WriteAttributes(w, attributes, path);
        w.WriteEndObject();
    }

    private static void Status(Utf8JsonWriter w, ReadOnlySpan<byte> data, string path)
    {
        w.WriteStartObject();
        var reader = new ProtoReader(data);
        while (!reader.End)
        {
            (int field, int type) = reader.ReadTag();
            switch (field)
            {
                case 2:
                    ProtoReader.Expect(field, type, Bytes, path);
                    w.WriteString("message", Utf8(reader.ReadBytes(), path + ".message"));
                    break;
                case 3:
                    ProtoReader.Expect(field, type, Varint, path);
                    w.WriteNumber("code", (int)reader.ReadVarint());
                    break;
                default:
                    reader.Skip(type);
                    break;
            }
        }

        w.WriteEndObject();
    }

    private static void WriteAttributes(Utf8JsonWriter w, List<byte[]> attributes, string path)
    {
        if (attributes.Count == 0)
        {
            return;
        }

        w.WriteStartArray("attributes");
        for (int i = 0; i < attributes.Count; i++)
        {
            KeyValue(w, attributes[i], $"{path}.attributes[{i}]", 0);
        }

        w.WriteEndArray();
    }

    private static void KeyValue(Utf8JsonWriter w, ReadOnlySpan<byte> data, string path, int depth)
    {
        w.WriteStartObject();
        var reader = new ProtoReader(data);
        while (!reader.End)
        {
            (int field, int type) = reader.ReadTag();
            switch (field)
            {
                case 1:
                    ProtoReader.Expect(field, type, Bytes, path);
                    w.WriteString("key", Utf8(reader.ReadBytes(), path + ".key"));
                    break;
                case 2:
                    ProtoReader.Expect(field, type, Bytes, path);
                    w.WritePropertyName("value");
                    AnyValue(w, reader.ReadBytes(), path + ".value", depth + 1);
                    break;
                default:
                    reader.Skip(type);
                    break;
            }
        }

        w.WriteEndObject();
    }

    private static void AnyValue(Utf8JsonWriter w, ReadOnlySpan<byte> data, string path, int depth)
    {
        if (depth > MaxAnyValueDepth)
        {
            throw new InvalidDataException($"{path}: values nested deeper than {MaxAnyValueDepth}");
        }

        w.WriteStartObject();
        var reader = new ProtoReader(data);
        while (!reader.End)
        {
            (int field, int type) = reader.ReadTag();
            switch (field)
            {
                case 1:
                    ProtoReader.Expect(field, type, Bytes, path);
                    w.WriteString("stringValue", Utf8(reader.ReadBytes(), path + ".stringValue"));
                    break;
                case 2:
                    ProtoReader.Expect(field, type, Varint, path);
                    w.WriteBoolean("boolValue", reader.ReadVarint() != 0);
                    break;
                case 3:
                    ProtoReader.Expect(field, type, Varint, path);
                    w.WriteString("intValue", ((long)reader.ReadVarint()).ToString(CultureInfo.InvariantCulture));
                    break;
                case 4:
                    ProtoReader.Expect(field, type, Fixed64, path);
                    double d = BitConverter.UInt64BitsToDouble(reader.ReadFixed64());
                    if (double.IsFinite(d))
                    {
                        w.WriteNumber("doubleValue", d);
                    }
                    else
                    {
                        w.WriteString("doubleValue", double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
                    }

                    break;
                case 5:
                    ProtoReader.Expect(field, type, Bytes, path);
                    w.WritePropertyName("arrayValue");
                    Values(w, reader.ReadBytes(), path + ".arrayValue", depth, keyed: false);
                    break;
                case 6:
                    ProtoReader.Expect(field, type, Bytes, path);
                    w.WritePropertyName("kvlistValue");
                    Values(w, reader.ReadBytes(), path + ".kvlistValue", depth, keyed: true);
                    break;
                case 7:
                    ProtoReader.Expect(field, type, Bytes, path);
                    w.WriteBase64String("bytesValue", reader.ReadBytes());
                    break;
                default:
                    reader.Skip(type);
                    break;
            }
        }

        w.WriteEndObject();
    }

    private static void Values(Utf8JsonWriter w, ReadOnlySpan<byte> data, string path, int depth, bool keyed)
    {
        w.WriteStartObject();
        w.WriteStartArray("values");
        var reader = new ProtoReader(data);
        int i = 0;
        while (!reader.End)
        {
            (int field, int type) = reader.ReadTag();
            if (field == 1)
            {
                ProtoReader.Expect(field, type, Bytes, path);
                if (keyed)
                {
                    KeyValue(w, reader.ReadBytes(), $"{path}.values[{i++}]", depth + 1);
                }
                else
                {
                    AnyValue(w, reader.ReadBytes(), $"{path}.values[{i++}]", depth + 1);
                }
            }
            else
            {
                reader.Skip(type);
            }
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static string Utf8(ReadOnlySpan<byte> bytes, string path)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new InvalidDataException($"{path}: not valid UTF-8", ex);
        }
    }
}
