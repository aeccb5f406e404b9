using System.Security.Cryptography;
using SovereignTrajectories.Nostr.Nip44;

namespace SovereignTrajectories.Nostr.Tests.Nip44;

public sealed class ChaCha20Tests
{
    // RFC 8439 §2.8: the AEAD encrypts with the ChaCha20 key stream from block counter 1, so .NET's
    // ChaCha20Poly1305 (OpenSSL underneath) is an independent ChaCha20 to compare with.
    [Fact]
    public void Matches_the_key_stream_inside_the_platforms_ChaCha20_Poly1305()
    {
        Assert.True(ChaCha20Poly1305.IsSupported, "the platform has no ChaCha20-Poly1305 to compare with");
        var random = new Random(8439);
        foreach (int length in (int[])[0, 1, 63, 64, 65, 127, 128, 129, 1000, 4096 + 17])
        {
            byte[] key = RandomNumberGenerator.GetBytes(32);
            byte[] nonce = RandomNumberGenerator.GetBytes(12);
            byte[] plaintext = new byte[length];
            random.NextBytes(plaintext);
            byte[] expected = new byte[length];
            using (var aead = new ChaCha20Poly1305(key))
            {
                aead.Encrypt(nonce, plaintext, expected, new byte[16]);
            }

            byte[] actual = new byte[length];
            ChaCha20.Xor(key, nonce, 1, plaintext, actual);

            Assert.Equal(expected, actual);
            ChaCha20.Xor(key, nonce, 1, actual, actual); // in place, and XOR twice is the identity
            Assert.Equal(plaintext, actual);
        }
    }

    [Fact]
    public void Refuses_keys_and_nonces_of_the_wrong_size()
    {
        Assert.Throws<ArgumentException>(() => ChaCha20.Xor(new byte[31], new byte[12], 0, [1], new byte[1]));
        Assert.Throws<ArgumentException>(() => ChaCha20.Xor(new byte[32], new byte[8], 0, [1], new byte[1]));
        Assert.Throws<ArgumentException>(() => ChaCha20.Xor(new byte[32], new byte[12], 0, [1, 2], new byte[1]));
    }
}
