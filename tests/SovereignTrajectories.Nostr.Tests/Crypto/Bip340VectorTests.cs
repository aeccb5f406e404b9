using SovereignTrajectories.Nostr.Crypto;
using SovereignTrajectories.Nostr.Keys;

namespace SovereignTrajectories.Nostr.Tests.Crypto;

public sealed class Bip340VectorTests
{
    [Fact]
    public void Vector_file_is_the_current_bip340_set()
    {
        IReadOnlyList<Bip340Vector> rows = Bip340Vector.Load();
        Assert.Equal(19, rows.Count);
        Assert.StartsWith("E907831F", rows[0].Signature, StringComparison.Ordinal);
        Assert.Contains(rows, r => !r.Expected);
        Assert.Contains(rows, r => r.Message.Length == 0);
    }

    [Theory]
    [MemberData(nameof(Bip340Vector.Indexes), MemberType = typeof(Bip340Vector))]
    public void Verification_matches_the_vector_result(int index)
    {
        Bip340Vector v = Bip340Vector.Get(index);
        bool ok = Schnorr.Verify(Convert.FromHexString(v.Signature), Convert.FromHexString(v.Message), Convert.FromHexString(v.PublicKey));
        Assert.Equal(v.Expected, ok);
    }

    [Theory]
    [MemberData(nameof(Bip340Vector.SigningIndexes), MemberType = typeof(Bip340Vector))]
    public void Signing_with_the_vector_aux_rand_reproduces_the_signature(int index)
    {
        Bip340Vector v = Bip340Vector.Get(index);
        using SecretKey key = SecretKey.FromHex(v.SecretKey);
        Assert.Equal(v.PublicKey.ToLowerInvariant(), key.PublicKey.Hex);

        byte[] sig = new byte[64];
        Schnorr.Sign(Convert.FromHexString(v.Message), key, Convert.FromHexString(v.AuxRand), sig);
        Assert.Equal(v.Signature, Convert.ToHexString(sig));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(14)]
    public void Keys_off_the_curve_are_not_valid_x_only_keys(int index)
    {
        Assert.False(Schnorr.IsValidXOnlyPublicKey(Convert.FromHexString(Bip340Vector.Get(index).PublicKey)));
    }

    [Fact]
    public void Every_vector_key_that_verifies_is_a_valid_x_only_key()
    {
        foreach (Bip340Vector v in Bip340Vector.Load().Where(v => v.Expected))
        {
            Assert.True(Schnorr.IsValidXOnlyPublicKey(Convert.FromHexString(v.PublicKey)), $"row {v.Index}");
        }
    }

    [Fact]
    public void Random_aux_signatures_differ_but_both_verify()
    {
        using SecretKey key = SecretKey.Generate();
        byte[] message = new byte[32];
        message[0] = 7;
        byte[] a = new byte[64];
        byte[] b = new byte[64];
        Schnorr.Sign(message, key, a);
        Schnorr.Sign(message, key, b);
        Assert.NotEqual(a, b);
        byte[] pub = key.PublicKey.ToBytes();
        Assert.True(Schnorr.Verify(a, message, pub));
        Assert.True(Schnorr.Verify(b, message, pub));
        message[0] = 8;
        Assert.False(Schnorr.Verify(a, message, pub));
    }

    [Fact]
    public void Wrong_lengths_are_rejected_with_the_parameter_named()
    {
        var ex = Assert.Throws<ArgumentException>(() => Schnorr.Verify(new byte[63], new byte[32], new byte[32]));
        Assert.Equal("signature64", ex.ParamName);
        Assert.False(Schnorr.IsValidXOnlyPublicKey(new byte[31]));
    }
}
