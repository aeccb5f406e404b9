using System.Security.Cryptography;
using SovereignTrajectories.Nostr.Crypto;

namespace SovereignTrajectories.Nostr.Tests.Crypto;

public sealed class Sha256Tests
{
    // Where Debian and Ubuntu install OpenSSL 3; on these machines the fast path must be the one in use.
    private static readonly string[] LibCryptoPaths =
    [
        "/usr/lib/x86_64-linux-gnu/libcrypto.so.3",
        "/usr/lib/aarch64-linux-gnu/libcrypto.so.3",
    ];

    // Around the 55/56-byte padding edge and the 64-byte block edge, an event-sized input, and large ones.
    public static TheoryData<int, bool> Lengths()
    {
        var data = new TheoryData<int, bool>();
        foreach (int length in new[] { 0, 1, 55, 56, 63, 64, 65, 119, 120, 900, 4096, 1 << 20 })
        {
            data.Add(length, true);
            data.Add(length, false);
        }

        return data;
    }

    [Fact]
    public void Libcrypto_is_used_where_debian_installs_it()
    {
        if (LibCryptoPaths.Any(File.Exists))
        {
            Assert.True(Sha256.UsesLibCrypto, "libcrypto.so.3 is installed but SHA256_Init/Update/Final were not resolved");
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Abc_matches_fips_180_2_vector(bool native)
    {
        // FIPS 180-2, appendix B.1.
        const string Expected = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        byte[] hash = new byte[32];
        if (Path(native) is { } table)
        {
            table.Hash("abc"u8, hash);
            Assert.Equal(Expected, Convert.ToHexStringLower(hash));
        }

        Sha256.Hash("abc"u8, hash);
        Assert.Equal(Expected, Convert.ToHexStringLower(hash));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void One_shot_agrees_with_dotnet(int length, bool native)
    {
        byte[] data = RandomBytes(length, seed: length);
        byte[] expected = SHA256.HashData(data);
        byte[] hash = new byte[32];
        if (native)
        {
            Sha256.Hash(data, hash);
            Assert.Equal(expected, hash);
        }

        if (Path(native) is { } table)
        {
            Array.Clear(hash);
            table.Hash(data, hash);
            Assert.Equal(expected, hash);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public void Destination_of_wrong_length_is_refused(int length)
    {
        byte[] destination = new byte[length];
        ArgumentException one = Assert.Throws<ArgumentException>(() => Sha256.Hash("abc"u8, destination));
        Assert.Contains($"got {length}", one.Message, StringComparison.Ordinal);
    }

    /// <summary>The libcrypto table for the native path (null where it is not available), or null to force the managed one.</summary>
    [Fact]
    public void Hex_of_utf8_text_matches_the_fips_vector()
    {
        // FIPS 180-2, appendix B.1, as the lower-case hex the profile's hash tags carry.
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Sha256.HexOfUtf8("abc"));
    }

    // Short text hashes from the stack, text past 768 UTF-8 bytes from a rented buffer; both as UTF-8, not UTF-16.
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(5000)]
    public void Hex_of_utf8_text_hashes_the_utf8_bytes(int repeats)
    {
        string text = string.Concat(Enumerable.Repeat("é€😀", repeats));
        string expected = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

        Assert.Equal(expected, Sha256.HexOfUtf8(text));
        char[] hex = new char[70];
        Sha256.WriteHexOfUtf8(text, hex);
        Assert.Equal(expected, new string(hex, 0, 64));
    }

    [Fact]
    public void Hex_destination_shorter_than_64_characters_is_refused()
    {
        ArgumentException ex = Assert.Throws<ArgumentException>(() => Sha256.WriteHexOfUtf8("abc", new char[63]));
        Assert.Equal("hex64", ex.ParamName);
        Assert.Contains("63", ex.Message, StringComparison.Ordinal);
    }

    private static LibCryptoSha256? Path(bool native) => native ? LibCryptoSha256.Instance : null;

    private static byte[] RandomBytes(int length, int seed)
    {
        byte[] data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }
}
