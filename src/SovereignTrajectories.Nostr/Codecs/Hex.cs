using System.Buffers;

namespace SovereignTrajectories.Nostr.Codecs;

/// <summary>Lower-case hexadecimal, the only form NIP-01 accepts for ids, keys and signatures.</summary>
public static class Hex
{
    // Vectorised set tests: every id, key and signature of an audit passes through these checks.
    private static readonly SearchValues<byte> LowerHexBytes = SearchValues.Create("0123456789abcdef"u8);
    private static readonly SearchValues<char> LowerHexChars = SearchValues.Create("0123456789abcdef");

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

        return Convert.FromHexString(hex, destination, out _, out int written) == OperationStatus.Done
            && written == destination.Length;
    }

    /// <summary>True when the UTF-8 <paramref name="value"/> is exactly <paramref name="length"/> bytes of 0-9a-f.</summary>
    public static bool IsLowerHex(ReadOnlySpan<byte> value, int length) =>
        value.Length == length && !value.ContainsAnyExcept(LowerHexBytes);

    /// <summary>True when <paramref name="value"/> is exactly <paramref name="length"/> characters of 0-9a-f.</summary>
    public static bool IsLowerHex(ReadOnlySpan<char> value, int length) =>
        value.Length == length && !value.ContainsAnyExcept(LowerHexChars);
}
