using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SovereignTrajectories.Worker.Otlp;

/// <summary>
/// Turns an OTLP/HTTP protobuf <c>ExportTraceServiceRequest</c> into the equivalent OTLP/JSON
/// request, so both encodings go through the same checks and the same adapter. One walker serves
/// every message: the messages themselves are data (<see cref="OtlpTraceSchema"/>). Fields the
/// schema does not list are skipped as protobuf requires; a field that arrives twice keeps its last
/// value; each JSON property is written once, in schema order, whatever order the wire had.
/// </summary>
internal static class OtlpProtobufTranscoder
{
    /// <summary>Message nesting allowed: OTLP's own structure is 5 deep; AnyValue arrays and maps nest further, within reason.</summary>
    private const int MaxDepth = 40;

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    /// <exception cref="InvalidDataException">Not a well-formed ExportTraceServiceRequest; the message says where.</exception>
    public static byte[] ToJson(ReadOnlySpan<byte> protobuf)
    {
        var buffer = new ArrayBufferWriter<byte>(protobuf.Length * 2 + 64);
        using (var w = new Utf8JsonWriter(buffer))
        {
            WriteMessage(w, protobuf, OtlpTraceSchema.ExportTraceServiceRequest, path: string.Empty, depth: 0);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteMessage(Utf8JsonWriter w, ReadOnlySpan<byte> data, ProtoJsonMessage message, string path, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidDataException($"{path}: messages nested deeper than {MaxDepth}");
        }

        // First pass: where each mapped field's values are, so the second can write them in schema order.
        var found = new List<FieldValue>?[message.Fields.Count];
        int lastOneOf = -1;
        var reader = new ProtoReader(data);
        while (!reader.End)
        {
            (int number, int type) = reader.ReadTag();
            int index = message.IndexOf(number);
            if (index < 0)
            {
                reader.Skip(type);
                continue;
            }

            ProtoJsonField field = message.Fields[index];
            ProtoReader.Expect(number, type, field.WireType, path.Length == 0 ? message.Name : path);
            FieldValue value = type switch
            {
                ProtoReader.VarintType => new FieldValue(reader.ReadVarint(), 0, 0),
                ProtoReader.Fixed64Type => new FieldValue(reader.ReadFixed64(), 0, 0),
                _ => Slice(ref reader),
            };
            List<FieldValue> values = found[index] ??= [];
            if (!field.Repeated)
            {
                values.Clear();
            }

            values.Add(value);
            lastOneOf = index;
        }

        w.WriteStartObject();
        for (int i = 0; i < message.Fields.Count; i++)
        {
            ProtoJsonField field = message.Fields[i];
            List<FieldValue>? values = found[i];
            string fieldPath = path.Length == 0 ? field.JsonName : $"{path}.{field.JsonName}";
            if (field.Repeated)
            {
                w.WriteStartArray(field.JsonName);
                for (int j = 0; values is not null && j < values.Count; j++)
                {
                    WriteValue(w, data, field, values[j], $"{fieldPath}[{j}]", depth);
                }

                w.WriteEndArray();
            }
            else if (values is not null && (!message.OneOf || i == lastOneOf))
            {
                w.WritePropertyName(field.JsonName);
                WriteValue(w, data, field, values[0], fieldPath, depth);
            }
        }

        w.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter w, ReadOnlySpan<byte> message, ProtoJsonField field, FieldValue value, string path, int depth)
    {
        ReadOnlySpan<byte> bytes = message.Slice(value.Start, value.Length);
        switch (field.Kind)
        {
            case ProtoJsonKind.String:
                w.WriteStringValue(Utf8(bytes, path));
                break;
            case ProtoJsonKind.Hex:
                w.WriteStringValue(Convert.ToHexStringLower(bytes));
                break;
            case ProtoJsonKind.Base64:
                w.WriteBase64StringValue(bytes);
                break;
            case ProtoJsonKind.Bool:
                w.WriteBooleanValue(value.Scalar != 0);
                break;
            case ProtoJsonKind.Int32:
                w.WriteNumberValue((int)value.Scalar);
                break;
            case ProtoJsonKind.Int64:
                w.WriteStringValue(((long)value.Scalar).ToString(CultureInfo.InvariantCulture));
                break;
            case ProtoJsonKind.Fixed64:
                w.WriteStringValue(value.Scalar.ToString(CultureInfo.InvariantCulture));
                break;
            case ProtoJsonKind.Double:
                double d = BitConverter.UInt64BitsToDouble(value.Scalar);
                if (double.IsFinite(d))
                {
                    w.WriteNumberValue(d);
                }
                else
                {
                    // The JSON mapping's spelling of the values JSON numbers cannot hold.
                    w.WriteStringValue(double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
                }

                break;
            default:
                WriteMessage(w, bytes, field.Message!(), path, depth + 1);
                break;
        }
    }

    private static FieldValue Slice(ref ProtoReader reader)
    {
        int length = reader.ReadBytes().Length;
        return new FieldValue(0, reader.Position - length, length);
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

    /// <summary>A varint or fixed64 value, or where a length-delimited one lies in its message.</summary>
    private readonly record struct FieldValue(ulong Scalar, int Start, int Length);
}
