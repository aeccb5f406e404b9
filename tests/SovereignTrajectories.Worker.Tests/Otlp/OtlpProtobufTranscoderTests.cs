using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using SovereignTrajectories.Worker.Otlp;

namespace SovereignTrajectories.Worker.Tests.Otlp;

/// <summary>
/// The protobuf -> OTLP/JSON transcoder field by field, on requests built here byte by byte: every
/// field kind of trace/v1, common/v1 and resource/v1 it maps, fields in any order, unknown fields
/// skipped, and malformed input refused with the path of the bad field.
/// </summary>
public sealed class OtlpProtobufTranscoderTests
{
    [Fact]
    public void Every_mapped_field_becomes_its_protobuf_json_form()
    {
        byte[] traceId = Convert.FromHexString("0102030405060708090a0b0c0d0e0f10");
        byte[] status = Msg(w => { Str(w, 2, "tool failed"); Var(w, 3, 2); });
        byte[] nested = Any(w => Msg(w, 6, Msg(kv => Msg(kv, 1, KeyValue("inner", Any(a => Var(a, 2, 1)))))));
        byte[] array = Any(w => Msg(w, 5, Msg(av =>
        {
            Msg(av, 1, Any(a => Str(a, 1, "x")));
            Msg(av, 1, Any(a => Var(a, 3, unchecked((ulong)-5L))));
        })));
        byte[] span = Msg(w =>
        {
            Str(w, 5, "chat gpt-x"); // name before the ids: order on the wire must not matter
            Bytes(w, 1, traceId);
            Bytes(w, 2, Convert.FromHexString("a1a2a3a4a5a6a7a8"));
            Bytes(w, 4, Convert.FromHexString("b1b2b3b4b5b6b7b8"));
            Str(w, 3, "k=v");
            Var(w, 6, 3);
            Fixed64(w, 7, 1_700_000_000_000_000_001);
            Fixed64(w, 8, 1_700_000_000_500_000_000);
            Msg(w, 9, KeyValue("gen_ai.request.model", Any(a => Str(a, 1, "gpt-x"))));
            Msg(w, 9, KeyValue("gen_ai.usage.input_tokens", Any(a => Var(a, 3, 42))));
            Msg(w, 9, KeyValue("ratio", Any(a => Fixed64(a, 4, BitConverter.DoubleToUInt64Bits(0.25)))));
            Msg(w, 9, KeyValue("nan", Any(a => Fixed64(a, 4, BitConverter.DoubleToUInt64Bits(double.NaN)))));
            Msg(w, 9, KeyValue("blob", Any(a => Bytes(a, 7, [0xff, 0x00, 0x10]))));
            Msg(w, 9, KeyValue("list", array));
            Msg(w, 9, KeyValue("map", nested));
            Msg(w, 11, Msg(e => { Fixed64(e, 1, 1_700_000_000_100_000_000); Str(e, 2, "gen_ai.choice"); Msg(e, 3, KeyValue("index", Any(a => Var(a, 3, 0)))); }));
            Var(w, 99, 7); // unknown field
            Msg(w, 15, status);
        });
        byte[] request = Msg(w => Msg(w, 1, Msg(rs =>
        {
            Str(rs, 3, "https://opentelemetry.io/schemas/1.26.0");
            Msg(rs, 1, Msg(r => Msg(r, 1, KeyValue("service.name", Any(a => Str(a, 1, "agent"))))));
            Msg(rs, 2, Msg(ss =>
            {
                Msg(ss, 1, Msg(s => { Str(s, 1, "openai"); Str(s, 2, "1.2.3"); Msg(s, 3, KeyValue("lib", Any(a => Var(a, 2, 0)))); }));
                Msg(ss, 2, span);
            }));
        })));

        JsonNode actual = JsonNode.Parse(OtlpProtobufTranscoder.ToJson(request))!;

        JsonNode expected = JsonNode.Parse("""
            {"resourceSpans":[{
              "resource":{"attributes":[{"key":"service.name","value":{"stringValue":"agent"}}]},
              "scopeSpans":[{
                "scope":{"name":"openai","version":"1.2.3","attributes":[{"key":"lib","value":{"boolValue":false}}]},
                "spans":[{
                  "name":"chat gpt-x","traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"a1a2a3a4a5a6a7a8",
                  "parentSpanId":"b1b2b3b4b5b6b7b8","traceState":"k=v","kind":3,
                  "startTimeUnixNano":"1700000000000000001","endTimeUnixNano":"1700000000500000000",
                  "status":{"message":"tool failed","code":2},
                  "attributes":[
                    {"key":"gen_ai.request.model","value":{"stringValue":"gpt-x"}},
                    {"key":"gen_ai.usage.input_tokens","value":{"intValue":"42"}},
                    {"key":"ratio","value":{"doubleValue":0.25}},
                    {"key":"nan","value":{"doubleValue":"NaN"}},
                    {"key":"blob","value":{"bytesValue":"/wAQ"}},
                    {"key":"list","value":{"arrayValue":{"values":[{"stringValue":"x"},{"intValue":"-5"}]}}},
                    {"key":"map","value":{"kvlistValue":{"values":[{"key":"inner","value":{"boolValue":true}}]}}}],
                  "events":[{"timeUnixNano":"1700000000100000000","name":"gen_ai.choice","attributes":[{"key":"index","value":{"intValue":"0"}}]}]
                }]
              }],
              "schemaUrl":"https://opentelemetry.io/schemas/1.26.0"
            }]}
            """)!;
        Assert.True(JsonNode.DeepEquals(expected, actual), actual.ToJsonString());
    }

    [Fact]
    public void A_field_sent_twice_keeps_its_last_value_and_a_oneof_only_its_last_member()
    {
        byte[] span = Msg(w =>
        {
            Str(w, 5, "first");
            Str(w, 5, "second");
            Msg(w, 9, KeyValue("v", Any(a => { Str(a, 1, "text"); Var(a, 3, 9); })));
        });
        byte[] request = Msg(w => Msg(w, 1, Msg(rs => Msg(rs, 2, Msg(ss => Msg(ss, 2, span))))));

        JsonNode spanJson = JsonNode.Parse(OtlpProtobufTranscoder.ToJson(request))!["resourceSpans"]![0]!["scopeSpans"]![0]!["spans"]![0]!;

        Assert.Equal("second", (string?)spanJson["name"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"intValue":"9"}"""), spanJson["attributes"]![0]!["value"]), spanJson.ToJsonString());
    }

    [Fact]
    public void An_empty_request_is_an_empty_resource_spans_array()
    {
        JsonNode actual = JsonNode.Parse(OtlpProtobufTranscoder.ToJson([]))!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"resourceSpans":[]}"""), actual), actual.ToJsonString());
    }

    [Fact]
    public void A_field_with_the_wrong_wire_type_is_refused_naming_where_it_is()
    {
        byte[] span = Msg(w => Var(w, 5, 1)); // name must be a string
        byte[] request = Msg(w => Msg(w, 1, Msg(rs => Msg(rs, 2, Msg(ss => Msg(ss, 2, span))))));

        var ex = Assert.Throws<InvalidDataException>(() => OtlpProtobufTranscoder.ToJson(request));

        Assert.Equal("resourceSpans[0].scopeSpans[0].spans[0] field 5: wire type 0, expected 2", ex.Message);
    }

    [Fact]
    public void A_string_that_is_not_utf8_is_refused_naming_the_field()
    {
        byte[] span = Msg(w => Bytes(w, 5, [0x61, 0xff]));
        byte[] request = Msg(w => Msg(w, 1, Msg(rs => Msg(rs, 2, Msg(ss => Msg(ss, 2, span))))));

        var ex = Assert.Throws<InvalidDataException>(() => OtlpProtobufTranscoder.ToJson(request));

        Assert.Equal("resourceSpans[0].scopeSpans[0].spans[0].name: not valid UTF-8", ex.Message);
    }

    [Fact]
    public void Values_nested_without_end_are_refused()
    {
        byte[] value = Any(a => Str(a, 1, "leaf"));
        for (int i = 0; i < 40; i++)
        {
            byte[] inner = value;
            value = Any(w => Msg(w, 5, Msg(av => Msg(av, 1, inner))));
        }

        byte[] span = Msg(w => Msg(w, 9, KeyValue("deep", value)));
        byte[] request = Msg(w => Msg(w, 1, Msg(rs => Msg(rs, 2, Msg(ss => Msg(ss, 2, span))))));

        var ex = Assert.Throws<InvalidDataException>(() => OtlpProtobufTranscoder.ToJson(request));

        Assert.Contains("nested deeper than", ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value.arrayValue.values[0]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_message_is_refused()
    {
        byte[] request = Msg(w => Msg(w, 1, Msg(rs => Str(rs, 3, "https://example"))));

        Assert.Throws<InvalidDataException>(() => OtlpProtobufTranscoder.ToJson(request.AsSpan(0, request.Length - 3)));
    }

    private static byte[] KeyValue(string key, byte[] anyValue) => Msg(w => { Str(w, 1, key); Msg(w, 2, anyValue); });

    private static byte[] Any(Action<MemoryStream> build) => Msg(build);

    private static byte[] Msg(Action<MemoryStream> build)
    {
        using var stream = new MemoryStream();
        build(stream);
        return stream.ToArray();
    }

    private static void Msg(MemoryStream w, int field, byte[] message) => ProtoWriter.Bytes(w, field, message);

    private static void Bytes(MemoryStream w, int field, byte[] value) => ProtoWriter.Bytes(w, field, value);

    private static void Str(MemoryStream w, int field, string value) => ProtoWriter.Bytes(w, field, Encoding.UTF8.GetBytes(value));

    private static void Var(MemoryStream w, int field, ulong value) => ProtoWriter.Varint(w, field, value);

    private static void Fixed64(MemoryStream w, int field, ulong value)
    {
        w.WriteByte((byte)((field << 3) | 1));
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        w.Write(bytes);
    }
}
