using System.Security.Cryptography;

namespace SovereignTrajectories.Nostr.Crypto;

/// <summary>
/// SHA-256 for the many small inputs of an audit (event ids of about 900 bytes, 65-byte Merkle nodes).
/// </summary>
/// <remarks>
/// <see cref="SHA256.HashData(ReadOnlySpan{byte}, Span{byte})"/> goes through OpenSSL's EVP layer on
/// Linux: about 900-1000 ns for 64 bytes and 1300-1450 ns for 900 bytes, measured on Debian 12 with
/// OpenSSL 3 and SHA-NI. OpenSSL's low-level SHA256_Init/Update/Final on a context on the stack take
/// about 96 ns and 630 ns, so where <c>libcrypto.so.3</c> exports them they are used; a 100k-event
/// audit (100k ids, 200k Merkle nodes) saves about 0.25 CPU-seconds. Elsewhere (macOS, Windows, other
/// OpenSSL versions) this falls back to <see cref="SHA256"/>; both give the same digest, SHA-256 being
/// fully specified (FIPS 180-4).
/// </remarks>
public static class Sha256
{
    /// <summary>Length of a digest.</summary>
    public const int HashSizeInBytes = 32;

    /// <summary>True when the low-level libcrypto functions are in use.</summary>
    internal static bool UsesLibCrypto => LibCryptoSha256.Instance is not null;

    /// <summary>Writes the SHA-256 of <paramref name="data"/> into <paramref name="destination32"/>.</summary>
    /// <exception cref="ArgumentException">destination32 is not 32 bytes.</exception>
    /// <exception cref="CryptographicException">libcrypto reported a failure.</exception>
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> destination32)
    {
        if (destination32.Length != HashSizeInBytes)
        {
            throw new ArgumentException($"a SHA-256 destination must be {HashSizeInBytes} bytes, got {destination32.Length}", nameof(destination32));
        }

        LibCryptoSha256? native = LibCryptoSha256.Instance;
        if (native is null)
        {
            SHA256.HashData(data, destination32);
        }
        else
        {
            native.Hash(data, destination32);
        }
    }
}
