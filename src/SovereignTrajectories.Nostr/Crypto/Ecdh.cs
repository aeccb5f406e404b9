using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using SovereignTrajectories.Nostr.Keys;

namespace SovereignTrajectories.Nostr.Crypto;

/// <summary>
/// secp256k1 Diffie-Hellman returning the raw x coordinate of the shared point, as NIP-44 needs
/// (libsecp256k1's default would hash the point, which NIP-44 does not do).
/// </summary>
public static unsafe class Ecdh
{
    /// <summary>
    /// Writes the x coordinate of <c>key * P</c> into <paramref name="sharedX32"/>, where P is the point
    /// with x = <paramref name="xOnlyPublicKey32"/> and even y (BIP-340 lift_x). Throws
    /// <see cref="ArgumentException"/> when the peer key is not on the curve.
    /// </summary>
    public static void SharedX(SecretKey key, ReadOnlySpan<byte> xOnlyPublicKey32, Span<byte> sharedX32)
    {
        ArgumentNullException.ThrowIfNull(key);
        Schnorr.RequireLength(xOnlyPublicKey32, 32, nameof(xOnlyPublicKey32));
        Schnorr.RequireLength(sharedX32, 32, nameof(sharedX32));
        nint ctx = Secp256k1Context.Handle;

        // 0x02 || x is the compressed encoding of the even-y point: exactly lift_x.
        byte* compressed = stackalloc byte[33];
        compressed[0] = 0x02;
        xOnlyPublicKey32.CopyTo(new Span<byte>(compressed + 1, 32));
        byte* point = stackalloc byte[Secp256k1Native.PubKeySize];
        if (Secp256k1Native.secp256k1_ec_pubkey_parse(ctx, point, compressed, 33) != 1)
        {
            throw new ArgumentException("the peer public key is not a valid x-only secp256k1 key", nameof(xOnlyPublicKey32));
        }

        int ok;
        fixed (byte* secret = key.SecretSpan)
        fixed (byte* output = sharedX32)
        {
            ok = Secp256k1Native.secp256k1_ecdh(ctx, output, point, secret, &CopyX, null);
        }

        GC.KeepAlive(key);
        if (ok != 1)
        {
            CryptographicOperations.ZeroMemory(sharedX32);
            throw new CryptographicException("libsecp256k1 refused the key agreement");
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int CopyX(byte* output, byte* x32, byte* y32, void* data)
    {
        Buffer.MemoryCopy(x32, output, 32, 32);
        return 1;
    }
}
