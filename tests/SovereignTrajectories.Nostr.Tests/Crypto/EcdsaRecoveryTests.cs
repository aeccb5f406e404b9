using System.Security.Cryptography;
using SovereignTrajectories.Nostr.Crypto;
using SovereignTrajectories.Nostr.Keys;

namespace SovereignTrajectories.Nostr.Tests.Crypto;

public sealed class EcdsaRecoveryTests
{
    // The compressed encoding of the generator G (SEC 2, secp256k1 parameters): the public key of secret 1.
    private const string GeneratorCompressed = "0279BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798";

    [Fact]
    public void Recovers_the_generator_from_a_signature_by_secret_one()
    {
        using SecretKey one = SecretKey.FromHex("0000000000000000000000000000000000000000000000000000000000000001");
        byte[] hash = SHA256.HashData("recoverable"u8);
        byte[] sig = new byte[64];
        int recid = EcdsaRecovery.SignRecoverable(hash, one, sig);

        byte[] recovered = new byte[33];
        Assert.True(EcdsaRecovery.TryRecoverCompressed(sig, recid, hash, recovered));
        Assert.Equal(GeneratorCompressed, Convert.ToHexString(recovered));
    }

    [Fact]
    public void Recovered_key_carries_the_signers_x_only_key()
    {
        using SecretKey key = SecretKey.Generate();
        byte[] hash = SHA256.HashData("payee"u8);
        byte[] sig = new byte[64];
        int recid = EcdsaRecovery.SignRecoverable(hash, key, sig);
        byte[] recovered = new byte[33];
        Assert.True(EcdsaRecovery.TryRecoverCompressed(sig, recid, hash, recovered));
        Assert.Equal(key.PublicKey.Hex, Convert.ToHexStringLower(recovered.AsSpan(1)));
    }

    [Fact]
    public void Another_hash_recovers_another_key()
    {
        using SecretKey key = SecretKey.Generate();
        byte[] hash = SHA256.HashData("a"u8);
        byte[] sig = new byte[64];
        int recid = EcdsaRecovery.SignRecoverable(hash, key, sig);
        byte[] recovered = new byte[33];
        bool ok = EcdsaRecovery.TryRecoverCompressed(sig, recid, SHA256.HashData("b"u8), recovered);
        Assert.False(ok && Convert.ToHexStringLower(recovered.AsSpan(1)) == key.PublicKey.Hex);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(4)]
    public void Recovery_id_outside_0_to_3_fails(int recid)
    {
        byte[] sig = new byte[64];
        sig[31] = 1;
        sig[63] = 1;
        Assert.False(EcdsaRecovery.TryRecoverCompressed(sig, recid, new byte[32], new byte[33]));
    }

    [Fact]
    public void All_zero_signature_fails()
    {
        Assert.False(EcdsaRecovery.TryRecoverCompressed(new byte[64], 0, new byte[32], new byte[33]));
    }
}
