using System.Text;
using SovereignTrajectories.Nostr.Codecs;

namespace SovereignTrajectories.Nostr.Tests.Codecs;

public sealed class HexTests
{
    private const string Valid64 = "0123456789abcdef0123456789abcdef0123456789abcdeffedcba9876543210";

    [Theory]
    [InlineData("", 0)]
    [InlineData("0", 1)]
    [InlineData("abcdef", 6)]
    [InlineData(Valid64, 64)]
    [InlineData(Valid64 + Valid64, 128)]
    public void Lower_hex_of_the_stated_length_is_accepted(string value, int length)
    {
        Assert.True(Hex.IsLowerHex(value.AsSpan(), length));
        Assert.True(Hex.IsLowerHex(Encoding.ASCII.GetBytes(value), length));
    }

    [Theory]
    [InlineData(Valid64, 63)]
    [InlineData(Valid64, 65)]
    [InlineData("", 64)]
    [InlineData("ab", 0)]
    public void Length_mismatch_is_rejected(string value, int length)
    {
        Assert.False(Hex.IsLowerHex(value.AsSpan(), length));
        Assert.False(Hex.IsLowerHex(Encoding.ASCII.GetBytes(value), length));
    }

    [Fact]
    public void Upper_case_is_rejected()
    {
        string upper = Valid64.ToUpperInvariant();
        Assert.False(Hex.IsLowerHex(upper.AsSpan(), 64));
        Assert.False(Hex.IsLowerHex(Encoding.ASCII.GetBytes(upper), 64));
        Assert.False(Hex.IsLowerHex("A".AsSpan(), 1));
        Assert.False(Hex.IsLowerHex("F"u8, 1));
    }

    [Fact]
    public void A_bad_character_at_any_position_is_rejected()
    {
        // Neighbours of the accepted ranges, a NUL, a non-ASCII byte, and a char whose low byte is a hex digit.
        char[] badChars = ['/', ':', '`', 'g', 'A', 'F', 'G', ' ', '\0', 'é', '\u0130', '\u0161'];
        byte[] badBytes = [(byte)'/', (byte)':', (byte)'`', (byte)'g', (byte)'A', (byte)'F', (byte)'x', 0x00, 0x80, 0xE9, 0xFF];
        for (int position = 0; position < 64; position++)
        {
            foreach (char bad in badChars)
            {
                char[] chars = Valid64.ToCharArray();
                chars[position] = bad;
                Assert.False(Hex.IsLowerHex(chars, 64), $"char U+{(int)bad:X4} at {position}");
            }

            foreach (byte bad in badBytes)
            {
                byte[] bytes = Encoding.ASCII.GetBytes(Valid64);
                bytes[position] = bad;
                Assert.False(Hex.IsLowerHex(bytes, 64), $"byte 0x{bad:x2} at {position}");
            }
        }
    }
}
