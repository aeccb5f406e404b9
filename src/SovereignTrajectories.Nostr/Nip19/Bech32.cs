using System.Text;

namespace SovereignTrajectories.Nostr.Nip19;

/// <summary>
/// BIP-173 bech32 and BIP-350 bech32m. Unlike BIP-173 the length limit is a parameter, because
/// NIP-19 TLV entities and BOLT11 invoices are longer than 90 characters.
/// </summary>
public static class Bech32
{
    private const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private const uint Bech32Constant = 1;
    private const uint Bech32mConstant = 0x2bc830a3;
    private const int ChecksumLength = 6;

    private static readonly sbyte[] CharsetRev = BuildReverse();

    /// <summary>Encodes 8-bit <paramref name="data"/> under <paramref name="hrp"/> (lower case output).</summary>
    public static string Encode(string hrp, ReadOnlySpan<byte> data, Bech32Variant variant = Bech32Variant.Bech32) =>
        EncodeWords(hrp, ConvertBits(data, 8, 5, pad: true), variant);

    /// <summary>Encodes 5-bit <paramref name="words"/> (each 0-31) under <paramref name="hrp"/>.</summary>
    public static string EncodeWords(string hrp, ReadOnlySpan<byte> words, Bech32Variant variant = Bech32Variant.Bech32)
    {
        ArgumentNullException.ThrowIfNull(hrp);
        if (hrp.Length == 0)
        {
            throw new ArgumentException("bech32 prefix is empty", nameof(hrp));
        }

        foreach (char c in hrp)
        {
            if (c is < (char)33 or > (char)126)
            {
                throw new ArgumentException($"bech32 prefix has invalid character U+{(int)c:X4}", nameof(hrp));
            }
        }

        hrp = hrp.ToLowerInvariant();
        foreach (byte w in words)
        {
            if (w > 31)
            {
                throw new ArgumentException($"bech32 word {w} is out of range 0-31", nameof(words));
            }
        }

        uint polymod = Polymod(hrp, words, stackalloc byte[ChecksumLength]) ^ Constant(variant);
        var sb = new StringBuilder(hrp.Length + 1 + words.Length + ChecksumLength);
        sb.Append(hrp).Append('1');
        foreach (byte w in words)
        {
            sb.Append(Charset[w]);
        }

        for (int i = 0; i < ChecksumLength; i++)
        {
            sb.Append(Charset[(int)((polymod >> (5 * (5 - i))) & 31)]);
        }

        return sb.ToString();
    }

    /// <summary>Decodes a bech32 (not bech32m) string and returns its 8-bit payload.</summary>
    public static (string Hrp, byte[] Data) Decode(string text, int maxLength = 90)
    {
        (string hrp, byte[] words) = DecodeWords(text, maxLength);
        return (hrp, ConvertBits(words, 5, 8, pad: false));
    }

    /// <summary>Decodes a bech32 string and returns its 5-bit words without the checksum.</summary>
    public static (string Hrp, byte[] Words5) DecodeWords(string text, int maxLength) =>
        DecodeWords(text, maxLength, Bech32Variant.Bech32);

    /// <summary>Decodes a string with the given checksum variant and returns its 5-bit words.</summary>
    public static (string Hrp, byte[] Words5) DecodeWords(string text, int maxLength, Bech32Variant variant)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > maxLength)
        {
            throw new Nip19Exception($"bech32 string too long: {text.Length} characters, limit {maxLength}");
        }

        bool hasLower = false, hasUpper = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c is < (char)33 or > (char)126)
            {
                throw new Nip19Exception($"bech32 string has invalid character U+{(int)c:X4} at {i}");
            }

            hasLower |= char.IsAsciiLetterLower(c);
            hasUpper |= char.IsAsciiLetterUpper(c);
        }

        if (hasLower && hasUpper)
        {
            throw new Nip19Exception("bech32 string has mixed case");
        }

        int sep = text.LastIndexOf('1');
        if (sep < 1)
        {
            throw new Nip19Exception(sep == 0 ? "bech32 string has an empty prefix" : "bech32 string has no separator '1'");
        }

        if (text.Length - sep - 1 < ChecksumLength)
        {
            throw new Nip19Exception($"bech32 string too short: {text.Length - sep - 1} characters after the separator, need at least {ChecksumLength}");
        }

        string lower = text.ToLowerInvariant();
        string hrp = lower[..sep];
        var words = new byte[lower.Length - sep - 1];
        for (int i = 0; i < words.Length; i++)
        {
            int pos = sep + 1 + i;
            char c = lower[pos];
            int v = c < 128 ? CharsetRev[c] : -1;
            if (v < 0)
            {
                throw new Nip19Exception($"bech32 string has invalid character '{text[pos]}' at {pos}");
            }

            words[i] = (byte)v;
        }

        if (Polymod(hrp, words, []) != Constant(variant))
        {
            throw new Nip19Exception("bech32 string has a bad checksum");
        }

        return (hrp, words[..^ChecksumLength]);
    }

    /// <summary>
    /// Regroups bits from <paramref name="from"/>-bit to <paramref name="to"/>-bit values. Without
    /// <paramref name="pad"/>, leftover bits must be fewer than <paramref name="from"/> and zero (BIP-173).
    /// </summary>
    public static byte[] ConvertBits(ReadOnlySpan<byte> data, int from, int to, bool pad)
    {
        if (from is < 1 or > 8 || to is < 1 or > 8)
        {
            throw new ArgumentOutOfRangeException(nameof(from), "bit widths must be 1-8");
        }

        int acc = 0, bits = 0;
        int maxV = (1 << to) - 1;
        var result = new List<byte>((data.Length * from / to) + 1);
        foreach (byte value in data)
        {
            if (value >> from != 0)
            {
                throw new Nip19Exception($"value {value} does not fit in {from} bits");
            }

            acc = ((acc << from) | value) & 0xFFFF;
            bits += from;
            while (bits >= to)
            {
                bits -= to;
                result.Add((byte)((acc >> bits) & maxV));
            }
        }

        if (pad)
        {
            if (bits > 0)
            {
                result.Add((byte)((acc << (to - bits)) & maxV));
            }
        }
        else if (bits >= from)
        {
            throw new Nip19Exception($"bech32 payload has {bits} bits of excess padding");
        }
        else if (((acc << (to - bits)) & maxV) != 0)
        {
            throw new Nip19Exception("bech32 payload has non-zero padding bits");
        }

        return [.. result];
    }

    private static uint Constant(Bech32Variant variant) => variant switch
    {
        Bech32Variant.Bech32 => Bech32Constant,
        Bech32Variant.Bech32m => Bech32mConstant,
        _ => throw new ArgumentOutOfRangeException(nameof(variant)),
    };

    private static uint Polymod(string hrp, ReadOnlySpan<byte> words, ReadOnlySpan<byte> tail)
    {
        uint chk = 1;
        foreach (char c in hrp)
        {
            chk = Step(chk) ^ ((uint)c >> 5);
        }

        chk = Step(chk);
        foreach (char c in hrp)
        {
            chk = Step(chk) ^ ((uint)c & 31);
        }

        foreach (byte w in words)
        {
            chk = Step(chk) ^ w;
        }

        foreach (byte w in tail)
        {
            chk = Step(chk) ^ w;
        }

        return chk;
    }

    private static uint Step(uint pre)
    {
        uint b = pre >> 25;
        uint chk = (pre & 0x1FFFFFF) << 5;
        if ((b & 1) != 0) chk ^= 0x3b6a57b2;
        if ((b & 2) != 0) chk ^= 0x26508e6d;
        if ((b & 4) != 0) chk ^= 0x1ea119fa;
        if ((b & 8) != 0) chk ^= 0x3d4233dd;
        if ((b & 16) != 0) chk ^= 0x2a1462b3;
        return chk;
    }

    private static sbyte[] BuildReverse()
    {
        var rev = new sbyte[128];
        Array.Fill(rev, (sbyte)-1);
        for (int i = 0; i < Charset.Length; i++)
        {
            rev[Charset[i]] = (sbyte)i;
        }

        return rev;
    }
}
