using System.Buffers;
using System.Text;
using System.Text.Json;
using SovereignTrajectories.Nostr.Events;

namespace SovereignTrajectories.Nostr.Tests.Events;

public sealed class CanonicalJsonTests
{
    private static string Write(string value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        CanonicalJson.WriteString(buffer, value);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static TheoryData<int> ControlChars()
    {
        var data = new TheoryData<int>();
        for (int c = 0; c < 0x20; c++)
        {
            data.Add(c);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ControlChars))]
    public void Control_characters_use_short_escape_or_lower_case_u00xx(int c)
    {
        string expected = c switch
        {
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\b' => "\\b",
            '\f' => "\\f",
            _ => "\\u00" + c.ToString("x2", System.Globalization.CultureInfo.InvariantCulture),
        };
        Assert.Equal("\"a" + expected + "b\"", Write("a" + (char)c + "b"));
    }

    [Theory]
    [InlineData("\"", "\\\"")]
    [InlineData("\\", "\\\\")]
    public void Quote_and_backslash_are_escaped(string input, string expected)
    {
        Assert.Equal("\"" + expected + "\"", Write(input));
    }

    [Theory]
    [InlineData("\u2028")]
    [InlineData("\u2029")]
    [InlineData("\u007f")]
    [InlineData("\U0001F600")]
    [InlineData("/")]
    [InlineData("<>&'")]
    [InlineData("héllo 表ポ")]
    [InlineData("\u0080\u00ff\uffff")]
    public void Everything_else_is_written_verbatim_as_utf8(string input)
    {
        var buffer = new ArrayBufferWriter<byte>();
        CanonicalJson.WriteString(buffer, input);
        byte[] expected = [(byte)'"', .. System.Text.Encoding.UTF8.GetBytes(input), (byte)'"'];
        Assert.Equal(expected, buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Lone_surrogate_is_rejected_naming_the_field()
    {
        // A Fact, not a Theory: xunit serialises theory arguments as UTF-8, which would mangle lone surrogates.
        foreach (string input in new[] { "\ud800", "a\udc00b", "x\ud83d", "\ude00\ud83d", "\udbff\udbff" })
        {
            var ex = Assert.Throws<EventFormatException>(() => CanonicalJson.WriteString(new ArrayBufferWriter<byte>(), input, "content"));
            Assert.Equal("content", ex.Field);
            Assert.Contains("lone", ex.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Lone_surrogate_in_a_tag_names_the_tag_position()
    {
        var tags = new TagList([new Tag("d", "ok"), new Tag("t", "fine", "bad\ud800")]);
        var ex = Assert.Throws<EventFormatException>(() => EventId.Compute(Nip01Vectors.PubKey, 1, 1, tags, ""));
        Assert.Equal("tags[1][2]", ex.Field);
    }

    [Fact]
    public void Lone_surrogate_in_content_names_content()
    {
        var ex = Assert.Throws<EventFormatException>(() => EventId.Compute(Nip01Vectors.PubKey, 1, 1, TagList.Empty, "x\udfff"));
        Assert.Equal("content", ex.Field);
        Assert.Equal("content: " + ex.Reason, ex.Message);
    }

    [Fact]
    public void Surrogate_pair_split_across_the_transcoding_chunk_is_kept_whole()
    {
        // 4095 ASCII chars put the emoji's high surrogate at the end of the first 4096-char chunk.
        string value = new string('a', 4095) + "\U0001F600" + "z";
        Assert.Equal("\"" + value + "\"", Write(value));
    }

    [Fact]
    public void Preimage_has_the_nip01_shape_without_whitespace()
    {
        var buffer = new ArrayBufferWriter<byte>();
        CanonicalJson.WriteIdPreimage(buffer, Nip01Vectors.PubKey, 1700000000, 39230, Nip01Vectors.SimpleTags, "hi");
        Assert.Equal($"[0,\"{Nip01Vectors.PubKey}\",1700000000,39230,[[\"d\",\"my-id\"]],\"hi\"]", System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void Event_keys_are_written_in_nip01_order()
    {
        var e = new NostrEvent(new string('1', 64), Nip01Vectors.PubKey, 5, 1, new TagList([new Tag("p", "x")]), "c", new string('2', 128));
        string json = CanonicalJson.Serialize(e);
        Assert.Equal(
            $"{{\"id\":\"{e.Id}\",\"pubkey\":\"{e.PubKey}\",\"created_at\":5,\"kind\":1,\"tags\":[[\"p\",\"x\"]],\"content\":\"c\",\"sig\":\"{e.Sig}\"}}",
            json);
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(json), CanonicalJson.SerializeToUtf8(e));
    }

    [Fact]
    public void Utf8_length_is_the_byte_count_of_the_serialised_event()
    {
        var e = new NostrEvent(new string('1', 64), Nip01Vectors.PubKey, 5, 1, Nip01Vectors.EscapesTags, Nip01Vectors.EscapesContent, new string('2', 128));
        Assert.Equal(CanonicalJson.SerializeToUtf8(e).Length, CanonicalJson.Utf8Length(e));
    }

    [Fact]
    public void Serialised_strings_read_back_to_the_same_text()
    {
        // Property over seeded random strings of every BMP class plus astral pairs, excluding lone surrogates.
        var random = new Random(1234);
        for (int round = 0; round < 2000; round++)
        {
            var sb = new StringBuilder();
            int length = random.Next(0, 40);
            for (int i = 0; i < length; i++)
            {
                int pick = random.Next(5);
                if (pick == 0)
                {
                    sb.Append((char)random.Next(0, 0x20));
                }
                else if (pick == 1)
                {
                    sb.Append("\"\\/\u2028\u007f"[random.Next(5)]);
                }
                else if (pick == 2)
                {
                    sb.Append(char.ConvertFromUtf32(random.Next(0x10000, 0x10FFFF)));
                }
                else
                {
                    char c = (char)random.Next(0x20, 0xFFFF);
                    sb.Append(char.IsSurrogate(c) ? 'x' : c);
                }
            }

            string value = sb.ToString();
            string json = Write(value);
            Assert.Equal(value, JsonSerializer.Deserialize<string>(json));
        }
    }
}
