using System.Buffers;
using System.Text;
using System.Text.Json;
using SovereignTrajectories.Nostr.Events;

namespace SovereignTrajectories.Trajectories.Json;

/// <summary>
/// Re-emits JSON text compact with NIP-01 string escaping: the form tool inputs take in the
/// model (<c>ToolStep.InputJson</c>) and in step content. Key order is kept unless sorting is
/// asked for (REPLAY.jsonl lines are sorted-key).
/// </summary>
public static class CompactJson
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 128 };

    /// <summary>Compact form of <paramref name="json"/>, keys in their original order.</summary>
    public static string Normalize(string json, string field = "json")
    {
        ArgumentNullException.ThrowIfNull(json);
        var buffer = new ArrayBufferWriter<byte>(json.Length + 16);
        Write(buffer, Encoding.UTF8.GetBytes(json), field, sortKeys: false);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Compact form of <paramref name="element"/>, keys in their original order.</summary>
    public static string Normalize(JsonElement element) => Normalize(element.GetRawText());

    /// <summary>Compact form with object keys sorted by ordinal UTF-16 order, recursively.</summary>
    public static string Sorted(string json, string field = "json")
    {
        ArgumentNullException.ThrowIfNull(json);
        var buffer = new ArrayBufferWriter<byte>(json.Length + 16);
        Write(buffer, Encoding.UTF8.GetBytes(json), field, sortKeys: true);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>JSON string literal of <paramref name="value"/> (NIP-01 escaping), e.g. to wrap a non-JSON tool input.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var buffer = new ArrayBufferWriter<byte>(value.Length + 2);
        CanonicalJson.WriteString(buffer, value);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    internal static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> utf8Json, string field, bool sortKeys)
    {
        if (sortKeys)
        {
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(utf8Json.ToArray(), new JsonDocumentOptions { MaxDepth = 128 });
            }
            catch (JsonException ex)
            {
                throw new FormatException($"{field}: not valid JSON ({ex.Message})", ex);
            }

            using (doc)
            {
                WriteSorted(output, doc.RootElement, field);
            }

            return;
        }

        var reader = new Utf8JsonReader(utf8Json, ReaderOptions);
        try
        {
            WriteTokens(output, ref reader, field);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{field}: not valid JSON ({ex.Message})", ex);
        }
        catch (InvalidOperationException ex)
        {
            throw new FormatException($"{field}: JSON string is not valid UTF-16 ({ex.Message})", ex);
        }
    }

    private static void WriteTokens(IBufferWriter<byte> output, ref Utf8JsonReader reader, string field)
    {
        bool needsComma = false;
        int values = 0;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                    Comma(output, ref needsComma);
                    Byte(output, reader.TokenType == JsonTokenType.StartObject ? (byte)'{' : (byte)'[');
                    needsComma = false;
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    Byte(output, reader.TokenType == JsonTokenType.EndObject ? (byte)'}' : (byte)']');
                    needsComma = true;
                    break;
                case JsonTokenType.PropertyName:
                    Comma(output, ref needsComma);
                    CanonicalJson.WriteString(output, reader.GetString()!, field);
                    Byte(output, (byte)':');
                    needsComma = false;
                    continue;
                case JsonTokenType.String:
                    Comma(output, ref needsComma);
                    CanonicalJson.WriteString(output, reader.GetString()!, field);
                    needsComma = true;
                    break;
                case JsonTokenType.Number:
                case JsonTokenType.True:
                case JsonTokenType.False:
                case JsonTokenType.Null:
                    Comma(output, ref needsComma);
                    ReadOnlySpan<byte> raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
                    output.Write(raw);
                    needsComma = true;
                    break;
                default:
                    throw new FormatException($"{field}: unexpected JSON token {reader.TokenType}");
            }

            if (reader.CurrentDepth == 0 && reader.TokenType is not (JsonTokenType.EndObject or JsonTokenType.EndArray))
            {
                values++;
            }
        }

        if (values != 1)
        {
            throw new FormatException($"{field}: expected exactly one JSON value, found {values}");
        }
    }

    private static void WriteSorted(IBufferWriter<byte> output, JsonElement element, string field)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                Byte(output, (byte)'{');
                bool first = true;
                foreach (JsonProperty p in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        Byte(output, (byte)',');
                    }

                    first = false;
                    CanonicalJson.WriteString(output, p.Name, field);
                    Byte(output, (byte)':');
                    WriteSorted(output, p.Value, field);
                }

                Byte(output, (byte)'}');
                break;
            case JsonValueKind.Array:
                Byte(output, (byte)'[');
                bool firstItem = true;
                foreach (JsonElement item in element.EnumerateArray())
                {
                    if (!firstItem)
                    {
                        Byte(output, (byte)',');
                    }

                    firstItem = false;
                    WriteSorted(output, item, field);
                }

                Byte(output, (byte)']');
                break;
            case JsonValueKind.String:
                CanonicalJson.WriteString(output, element.GetString()!, field);
                break;
            default:
                output.Write(Encoding.UTF8.GetBytes(element.GetRawText()));
                break;
        }
    }

    private static void Comma(IBufferWriter<byte> output, ref bool needsComma)
    {
        if (needsComma)
        {
            Byte(output, (byte)',');
            needsComma = false;
        }
    }

    private static void Byte(IBufferWriter<byte> output, byte b)
    {
        output.GetSpan(1)[0] = b;
        output.Advance(1);
    }
}
