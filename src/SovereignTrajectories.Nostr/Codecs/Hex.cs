namespace SovereignTrajectories.Nostr.Codecs;

/// <summary>Lower-case hexadecimal, the only form NIP-01 accepts for ids, keys and signatures.</summary>
public static class Hex
{
    public static string Encode(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>Decodes hex of either case; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static byte[] Decode(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (hex.Length % 2 != 0)
        {
            throw new FormatException($"hex string has odd length {hex.Length}");
        }

        return Convert.FromHexString(hex);
    }

    /// <summary>Decodes exactly <paramref name="destination"/>.Length bytes; false on any bad character or length.</summary>
    public static bool TryDecode(ReadOnlySpan<char> hex, Span<byte> destination)
    {
        if (hex.Length != destination.Length * 2)
        {
            return false;
        }

        return Convert.FromHexString(hex, destination, out _, out int written) == System.Buffers.OperationStatus.Done
            && written == destination.Length;
    }

    /// <summary>True when the UTF-8 <paramref name="value"/> is exactly <paramref name="length"/> bytes of 0-9a-f.</summary>
    public static bool IsLowerHex(ReadOnlySpan<byte> value, int length)
    {
        if (value.Length != length)
        {
            return false;
        }

        foreach (byte b in value)
        {
            if (b is not ((>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f')))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when <paramref name="value"/> is exactly <paramref name="length"/> characters of 0-9a-f.</summary>
    public static bool IsLowerHex(ReadOnlySpan<char> value, int length)
    {
        if (value.Length != length)
        {
            return false;
        }

        foreach (char c in value)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }

        return true;
    }
}
