using SovereignTrajectories.Nostr.Nip19;

namespace SovereignTrajectories.Nostr.Tests.Nip19;

public sealed class Bech32Tests
{
    [Fact]
    public void Accepts_every_BIP173_valid_string_and_reencodes_it_identically()
    {
        foreach (string[] row in Nip19Vectors.Rows("bech32-valid.txt"))
        {
            string text = row[0];
            (string hrp, byte[] words) = Bech32.DecodeWords(text, 90);
            Assert.Equal(text.ToLowerInvariant(), Bech32.EncodeWords(hrp, words));
        }
    }

    [Fact]
    public void Accepts_every_BIP350_string_only_as_bech32m()
    {
        foreach (string[] row in Nip19Vectors.Rows("bech32m-valid.txt"))
        {
            string text = row[0];
            (string hrp, byte[] words) = Bech32.DecodeWords(text, 90, Bech32Variant.Bech32m);
            Assert.Equal(text.ToLowerInvariant(), Bech32.EncodeWords(hrp, words, Bech32Variant.Bech32m));
            var e = Assert.Throws<Nip19Exception>(() => Bech32.DecodeWords(text, 90));
            Assert.Contains("bad checksum", e.Message);
        }
    }

    [Fact]
    public void Rejects_every_BIP173_invalid_string_with_the_reason()
    {
        foreach (string[] row in Nip19Vectors.Rows("bech32-invalid.txt"))
        {
            var e = Assert.Throws<Nip19Exception>(() => Bech32.DecodeWords(row[0], 90));
            Assert.Contains(row[1], e.Message);
        }
    }

    [Theory]
    [InlineData(" 1nwldj5", "invalid character U+0020 at 0")]
    [InlineData("\u007f1axkwrx", "invalid character U+007F at 0")]
    [InlineData("\u00801eym55h", "invalid character U+0080 at 0")]
    [InlineData("de1lg7wt\u00ff", "invalid character U+00FF at 8")]
    public void Rejects_BIP173_strings_with_characters_outside_printable_ascii(string text, string reason)
    {
        var e = Assert.Throws<Nip19Exception>(() => Bech32.DecodeWords(text, 90));
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void Names_the_bad_data_character_and_its_position()
    {
        var e = Assert.Throws<Nip19Exception>(() => Bech32.Decode("npub1qqqqqqqqqbqqq"));
        Assert.Contains("invalid character 'b' at 14", e.Message);
    }

    [Fact]
    public void Rejects_mixed_case()
    {
        var e = Assert.Throws<Nip19Exception>(() => Bech32.Decode("a12UEL5L"));
        Assert.Contains("mixed case", e.Message);
    }

    [Fact]
    public void Rejects_a_string_longer_than_the_limit_given()
    {
        string ok = Bech32.Encode("x", new byte[100]);
        Assert.Equal(100, Bech32.Decode(ok, int.MaxValue).Data.Length);
        var e = Assert.Throws<Nip19Exception>(() => Bech32.Decode(ok));
        Assert.Contains("too long", e.Message);
    }

    [Fact]
    public void Round_trips_any_bytes_under_any_variant()
    {
        var rng = new Random(1234);
        for (int n = 0; n < 200; n++)
        {
            byte[] data = new byte[rng.Next(0, 80)];
            rng.NextBytes(data);
            foreach (Bech32Variant v in Enum.GetValues<Bech32Variant>())
            {
                string s = Bech32.Encode("test", data, v);
                (string hrp, byte[] words) = Bech32.DecodeWords(s, int.MaxValue, v);
                Assert.Equal("test", hrp);
                Assert.Equal(data, Bech32.ConvertBits(words, 5, 8, pad: false));
            }
        }
    }

    [Fact]
    public void Detects_any_single_character_substitution()
    {
        string s = Bech32.Encode("npub", new byte[32]);
        for (int i = 5; i < s.Length; i++)
        {
            char replacement = s[i] == 'q' ? 'p' : 'q';
            string broken = s[..i] + replacement + s[(i + 1)..];
            Assert.Throws<Nip19Exception>(() => Bech32.Decode(broken));
        }
    }

    [Fact]
    public void ConvertBits_rejects_non_zero_padding()
    {
        // Two 5-bit words are one byte plus 2 leftover bits, which must be zero.
        Assert.Equal([0], Bech32.ConvertBits([0, 0], 5, 8, pad: false));
        var e = Assert.Throws<Nip19Exception>(() => Bech32.ConvertBits([0, 1], 5, 8, pad: false));
        Assert.Contains("non-zero padding", e.Message);
    }

    [Fact]
    public void ConvertBits_rejects_a_whole_spare_word_of_padding()
    {
        // One 5-bit word alone cannot be padding for 8-bit output: BIP-173 allows fewer than 5 spare bits.
        var e = Assert.Throws<Nip19Exception>(() => Bech32.ConvertBits([0], 5, 8, pad: false));
        Assert.Contains("excess padding", e.Message);
    }
}
