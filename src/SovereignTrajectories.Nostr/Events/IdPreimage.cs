using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using SovereignTrajectories.Nostr.Crypto;

namespace SovereignTrajectories.Nostr.Events;

/// <summary>
/// The canonical NIP-01 id preimage <c>[0,pubkey,created_at,kind,tags,content]</c>, gathered while the
/// parser reads an event, so the id needs no second serialisation. A string whose escapes are already
/// the canonical ones (<see cref="CanonicalJson"/>) is copied byte for byte from the input; any other
/// spelling (<c>\/</c>, <c>\u0041</c>, upper-case hex, ...) is written again from its decoded text.
/// Keys may come in any order, so tags and content are gathered apart and joined at the end.
/// </summary>
internal sealed class IdPreimage : IDisposable
{
    private readonly PooledByteBufferWriter _tags;
    private readonly PooledByteBufferWriter _content;

    public IdPreimage(int inputLength)
    {
        // The canonical form is at most a little longer than the input (an escape never shrinks by
        // more than its own length), so the buffers rarely grow.
        _tags = new PooledByteBufferWriter(Math.Min(inputLength, 4096));
        _content = new PooledByteBufferWriter(inputLength + 16);
    }

    public void BeginTags() => Write(_tags, (byte)'[');

    public void BeginTag(int index)
    {
        if (index > 0)
        {
            Write(_tags, (byte)',');
        }

        Write(_tags, (byte)'[');
    }

    public void TagValue(ref Utf8JsonReader reader, string value, int index)
    {
        if (index > 0)
        {
            Write(_tags, (byte)',');
        }

        AppendString(_tags, ref reader, value);
    }

    public void EndTag() => Write(_tags, (byte)']');

    public void EndTags() => Write(_tags, (byte)']');

    /// <param name="value">The decoded text, or <see langword="null"/> to decode it here only if its escapes need rewriting.</param>
    public void Content(ref Utf8JsonReader reader, string? value) => AppendString(_content, ref reader, value);

    /// <summary>Joins the parts and hashes them; the caller has checked every field is present.</summary>
    /// <remarks>
    /// Joining beats hashing the five parts one after another (about 725 against 790 ns for 900 bytes):
    /// the copies cost less than the extra native calls and partial blocks.
    /// </remarks>
    public void Hash(string pubKey, long createdAt, int kind, Span<byte> destination32)
    {
        int length = 128 + pubKey.Length + _tags.WrittenCount + _content.WrittenCount;
        byte[] rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            Span<byte> span = rented;
            int n = 0;
            "[0,\""u8.CopyTo(span);
            n += 4;

            // The parser admitted only 64 lower-case hex characters: ASCII, nothing to escape.
            n += System.Text.Encoding.ASCII.GetBytes(pubKey, span[n..]);
            span[n++] = (byte)'"';
            span[n++] = (byte)',';
            n += FormatInteger(createdAt, span[n..]);
            span[n++] = (byte)',';
            n += FormatInteger(kind, span[n..]);
            span[n++] = (byte)',';
            if (_tags.WrittenCount == 0)
            {
                // A missing tags field is rejected by the parser before this point; an empty list is [].
                "[]"u8.CopyTo(span[n..]);
                n += 2;
            }
            else
            {
                _tags.WrittenSpan.CopyTo(span[n..]);
                n += _tags.WrittenCount;
            }

            span[n++] = (byte)',';
            _content.WrittenSpan.CopyTo(span[n..]);
            n += _content.WrittenCount;
            span[n++] = (byte)']';
            Sha256.Hash(span[..n], destination32);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public void Dispose()
    {
        _tags.Dispose();
        _content.Dispose();
    }

    /// <summary>
    /// True when every escape in <paramref name="raw"/> (the text between the quotes, as written) is the
    /// one <see cref="CanonicalJson"/> would emit: <c>\" \\ \n \r \t \b \f</c>, and <c>\u00xx</c> in
    /// lower-case hex only for the other characters below U+0020.
    /// </summary>
    internal static bool HasCanonicalEscapes(ReadOnlySpan<byte> raw)
    {
        int i = raw.IndexOf((byte)'\\');
        while (i >= 0)
        {
            if (i + 1 >= raw.Length)
            {
                return false;
            }

            byte e = raw[i + 1];
            int next;
            if (e is (byte)'"' or (byte)'\\' or (byte)'n' or (byte)'r' or (byte)'t' or (byte)'b' or (byte)'f')
            {
                next = i + 2;
            }
            else if (e == (byte)'u' && i + 5 < raw.Length && raw[i + 2] == (byte)'0' && raw[i + 3] == (byte)'0' && raw[i + 4] is (byte)'0' or (byte)'1' && IsLowerHex(raw[i + 5]))
            {
                int c = ((raw[i + 4] - '0') << 4) | HexValue(raw[i + 5]);
                if (c is 0x08 or 0x09 or 0x0A or 0x0C or 0x0D)
                {
                    // These have short forms, which the canonical writer uses instead.
                    return false;
                }

                next = i + 6;
            }
            else
            {
                return false;
            }

            int rest = raw[next..].IndexOf((byte)'\\');
            i = rest < 0 ? -1 : next + rest;
        }

        return true;
    }

    private static bool IsLowerHex(byte b) => b is (>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f');

    private static int HexValue(byte b) => b <= '9' ? b - '0' : b - 'a' + 10;

    private static void AppendString(PooledByteBufferWriter buffer, ref Utf8JsonReader reader, string? value)
    {
        // A string value read from a span is never split; the raw bytes are valid UTF-8 because the
        // parser has just decoded them (invalid UTF-8 and lone surrogates are rejected there).
        if (!reader.HasValueSequence && (!reader.ValueIsEscaped || HasCanonicalEscapes(reader.ValueSpan)))
        {
            ReadOnlySpan<byte> raw = reader.ValueSpan;
            Span<byte> span = buffer.GetSpan(raw.Length + 2);
            span[0] = (byte)'"';
            raw.CopyTo(span[1..]);
            span[raw.Length + 1] = (byte)'"';
            buffer.Advance(raw.Length + 2);
            return;
        }

        CanonicalJson.WriteString(buffer, value ?? reader.GetString()!);
    }

    private static int FormatInteger(long value, Span<byte> destination) =>
        Utf8Formatter.TryFormat(value, destination, out int written)
            ? written
            : throw new InvalidOperationException("a 64-bit integer did not fit in the preimage buffer");

    private static void Write(PooledByteBufferWriter buffer, byte b)
    {
        buffer.GetSpan(1)[0] = b;
        buffer.Advance(1);
    }
}
