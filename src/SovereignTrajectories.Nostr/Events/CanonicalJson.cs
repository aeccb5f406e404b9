using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Unicode;

namespace SovereignTrajectories.Nostr.Events;

/// <summary>
/// NIP-01 serialisation, byte for byte what <c>JSON.stringify</c> (nostr-tools, relays) and rust-nostr
/// emit: no whitespace; in strings only <c>"</c>, <c>\</c>, <c>\n \r \t \b \f</c> get short escapes,
/// other characters below U+0020 become lower-case <c>\u00xx</c>, and everything else (U+2028, U+007F,
/// emoji, <c>/</c>, <c>&lt;&gt;&amp;'</c>) is written verbatim as UTF-8. System.Text.Json cannot
/// produce this, hence a hand-written writer. Lone surrogates have no UTF-8 form and implementations
/// disagree about them, so they are rejected with an <see cref="EventFormatException"/>.
/// </summary>
public static class CanonicalJson
{
    private static readonly SearchValues<char> NeedsEscape = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000a\u000b\u000c\u000d\u000e\u000f" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f\"\\");

    private static ReadOnlySpan<byte> HexDigits => "0123456789abcdef"u8;

    /// <summary>Writes <paramref name="value"/> as a quoted NIP-01 JSON string; a lone surrogate is reported against field "value".</summary>
    public static void WriteString(IBufferWriter<byte> writer, string value) => WriteString(writer, value, "value");

    /// <summary>Writes <paramref name="value"/> as a quoted NIP-01 JSON string, naming <paramref name="field"/> if it holds a lone surrogate.</summary>
    public static void WriteString(IBufferWriter<byte> writer, string value, string field)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        if (!TryWriteString(writer, value))
        {
            throw LoneSurrogate(field);
        }
    }

    /// <summary>Writes the id preimage <c>[0,pubkey,created_at,kind,tags,content]</c>.</summary>
    public static void WriteIdPreimage(IBufferWriter<byte> writer, string pubKey, long createdAt, int kind, TagList tags, string content)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(pubKey);
        ArgumentNullException.ThrowIfNull(tags);
        ArgumentNullException.ThrowIfNull(content);
        WriteAscii(writer, "[0,"u8);
        WriteString(writer, pubKey, "pubkey");
        WriteByte(writer, (byte)',');
        WriteInteger(writer, createdAt);
        WriteByte(writer, (byte)',');
        WriteInteger(writer, kind);
        WriteByte(writer, (byte)',');
        WriteTags(writer, tags);
        WriteByte(writer, (byte)',');
        WriteString(writer, content, "content");
        WriteByte(writer, (byte)']');
    }

    /// <summary>Writes the whole event object with keys in the order id, pubkey, created_at, kind, tags, content, sig.</summary>
    public static void WriteEvent(IBufferWriter<byte> writer, NostrEvent e)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(e);
        WriteAscii(writer, "{\"id\":"u8);
        WriteString(writer, e.Id, "id");
        WriteAscii(writer, ",\"pubkey\":"u8);
        WriteString(writer, e.PubKey, "pubkey");
        WriteAscii(writer, ",\"created_at\":"u8);
        WriteInteger(writer, e.CreatedAt);
        WriteAscii(writer, ",\"kind\":"u8);
        WriteInteger(writer, e.Kind);
        WriteAscii(writer, ",\"tags\":"u8);
        WriteTags(writer, e.Tags);
        WriteAscii(writer, ",\"content\":"u8);
        WriteString(writer, e.Content, "content");
        WriteAscii(writer, ",\"sig\":"u8);
        WriteString(writer, e.Sig, "sig");
        WriteByte(writer, (byte)'}');
    }

    /// <summary>The event as a NIP-01 JSON string.</summary>
    public static string Serialize(NostrEvent e)
    {
        using var buffer = new PooledByteBufferWriter(EstimateSize(e));
        WriteEvent(buffer, e);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The event as NIP-01 JSON in UTF-8.</summary>
    public static byte[] SerializeToUtf8(NostrEvent e)
    {
        using var buffer = new PooledByteBufferWriter(EstimateSize(e));
        WriteEvent(buffer, e);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The size in bytes of the serialised event, which is what relay size limits count.</summary>
    public static int Utf8Length(NostrEvent e)
    {
        using var buffer = new PooledByteBufferWriter(EstimateSize(e));
        WriteEvent(buffer, e);
        return buffer.WrittenCount;
    }

    /// <summary>A guess at the serialised size, so the pooled buffer rarely has to grow.</summary>
    internal static int EstimateSize(NostrEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return 300 + EstimateSize(e.Tags, e.Content);
    }

    internal static int EstimateSize(TagList tags, string content)
    {
        int size = 100 + content.Length + (content.Length >> 2);
        foreach (Tag tag in tags)
        {
            foreach (string v in tag.Values)
            {
                size += v.Length + 3;
            }

            size += 3;
        }

        return size;
    }

    private static void WriteTags(IBufferWriter<byte> writer, TagList tags)
    {
        WriteByte(writer, (byte)'[');
        for (int i = 0; i < tags.Count; i++)
        {
            if (i > 0)
            {
                WriteByte(writer, (byte)',');
            }

            WriteByte(writer, (byte)'[');
            Tag tag = tags[i];
            for (int j = 0; j < tag.Count; j++)
            {
                if (j > 0)
                {
                    WriteByte(writer, (byte)',');
                }

                if (!TryWriteString(writer, tag[j]))
                {
                    throw LoneSurrogate($"tags[{i}][{j}]");
                }
            }

            WriteByte(writer, (byte)']');
        }

        WriteByte(writer, (byte)']');
    }

    /// <summary>Writes the quoted string; false when it holds a lone surrogate (the output is then incomplete).</summary>
    private static bool TryWriteString(IBufferWriter<byte> writer, string value)
    {
        WriteByte(writer, (byte)'"');
        ReadOnlySpan<char> rest = value;
        while (!rest.IsEmpty)
        {
            int stop = rest.IndexOfAny(NeedsEscape);
            ReadOnlySpan<char> plain = stop < 0 ? rest : rest[..stop];
            if (!plain.IsEmpty && !TryTranscode(writer, plain))
            {
                return false;
            }

            if (stop < 0)
            {
                break;
            }

            WriteEscape(writer, rest[stop]);
            rest = rest[(stop + 1)..];
        }

        WriteByte(writer, (byte)'"');
        return true;
    }

    private static bool TryTranscode(IBufferWriter<byte> writer, ReadOnlySpan<char> chars)
    {
        // Transcode in bounded chunks so a 100 KB content never asks the writer for a 300 KB span.
        const int Chunk = 4096;
        while (!chars.IsEmpty)
        {
            int take = Math.Min(chars.Length, Chunk);
            if (take < chars.Length && char.IsHighSurrogate(chars[take - 1]))
            {
                take--;
            }

            Span<byte> span = writer.GetSpan(take * 3);
            OperationStatus status = Utf8.FromUtf16(chars[..take], span, out int read, out int written, replaceInvalidSequences: false, isFinalBlock: true);
            if (status != OperationStatus.Done)
            {
                return false;
            }

            writer.Advance(written);
            chars = chars[read..];
        }

        return true;
    }

    private static void WriteEscape(IBufferWriter<byte> writer, char c)
    {
        byte shortForm = c switch
        {
            '"' => (byte)'"',
            '\\' => (byte)'\\',
            '\n' => (byte)'n',
            '\r' => (byte)'r',
            '\t' => (byte)'t',
            '\b' => (byte)'b',
            '\f' => (byte)'f',
            _ => 0,
        };

        if (shortForm != 0)
        {
            Span<byte> two = writer.GetSpan(2);
            two[0] = (byte)'\\';
            two[1] = shortForm;
            writer.Advance(2);
            return;
        }

        Span<byte> six = writer.GetSpan(6);
        six[0] = (byte)'\\';
        six[1] = (byte)'u';
        six[2] = (byte)'0';
        six[3] = (byte)'0';
        six[4] = HexDigits[c >> 4];
        six[5] = HexDigits[c & 0xF];
        writer.Advance(6);
    }

    private static void WriteInteger(IBufferWriter<byte> writer, long value)
    {
        Span<byte> span = writer.GetSpan(20);
        if (!Utf8Formatter.TryFormat(value, span, out int written))
        {
            throw new InvalidOperationException("a 64-bit integer did not fit in 20 bytes");
        }

        writer.Advance(written);
    }

    private static void WriteAscii(IBufferWriter<byte> writer, ReadOnlySpan<byte> ascii)
    {
        Span<byte> span = writer.GetSpan(ascii.Length);
        ascii.CopyTo(span);
        writer.Advance(ascii.Length);
    }

    private static void WriteByte(IBufferWriter<byte> writer, byte b)
    {
        writer.GetSpan(1)[0] = b;
        writer.Advance(1);
    }

    private static EventFormatException LoneSurrogate(string field) =>
        new(field, "contains a lone UTF-16 surrogate, which has no UTF-8 form and no agreed NIP-01 serialisation");
}
