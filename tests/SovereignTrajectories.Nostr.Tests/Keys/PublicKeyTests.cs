using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Nostr.Tests.Events;

namespace SovereignTrajectories.Nostr.Tests.Keys;

public sealed class PublicKeyTests
{
    [Fact]
    public void Parses_hex_and_npub_of_the_nip01_vector()
    {
        Assert.Equal(Nip01Vectors.PubKey, PublicKey.Parse(Nip01Vectors.Npub).Hex);
        Assert.Equal(Nip01Vectors.PubKey, PublicKey.Parse(Nip01Vectors.PubKey.ToUpperInvariant()).Hex);
        Assert.Equal(Nip01Vectors.Npub, new PublicKey(Nip01Vectors.PubKey).ToNpub());
        Assert.Equal(Convert.FromHexString(Nip01Vectors.PubKey), new PublicKey(Nip01Vectors.PubKey).ToBytes());
    }

    [Fact]
    public void Constructor_requires_lower_case_hex()
    {
        var ex = Assert.Throws<FormatException>(() => new PublicKey(Nip01Vectors.PubKey.ToUpperInvariant()));
        Assert.Contains("lower-case", ex.Message, StringComparison.Ordinal);
        Assert.Contains("64", Assert.Throws<FormatException>(() => new PublicKey("abc")).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("eefdea4cdb677750a420fee807eacf21eb9898ae79b9768766e4faa04a2d4a34")]
    [InlineData("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc30")]
    public void Rejects_keys_that_are_not_on_the_curve(string hex)
    {
        var ex = Assert.Throws<FormatException>(() => new PublicKey(hex));
        Assert.Contains("not a valid x-only", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Equal_keys_compare_equal()
    {
        Assert.Equal(new PublicKey(Nip01Vectors.PubKey), PublicKey.Parse(Nip01Vectors.Npub));
    }
}
