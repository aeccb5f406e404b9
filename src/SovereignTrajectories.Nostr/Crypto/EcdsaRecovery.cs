using System.Security.Cryptography;
using SovereignTrajectories.Nostr.Keys;

namespace SovereignTrajectories.Nostr.Crypto;

/// <summary>
/// ECDSA public-key recovery (the scheme BOLT11 invoices use to name their payee) through libsecp256k1.
/// </summary>
public static unsafe class EcdsaRecovery
{
    /// <summary>
    /// Recovers the signer's 33-byte compressed public key from a compact (r||s) signature, its
    /// recovery id (0-3) and the 32-byte message hash. False when the signature, the id or the
    /// hash admit no key.
    /// </summary>
    public static bool TryRecoverCompressed(ReadOnlySpan<byte> compactSignature64, int recoveryId, ReadOnlySpan<byte> messageHash32, Span<byte> publicKey33)
    {
        Schnorr.RequireLength(compactSignature64, 64, nameof(compactSignature64));
        Schnorr.RequireLength(messageHash32, 32, nameof(messageHash32));
        if (publicKey33.Length != 33)
        {
            throw new ArgumentException($"{nameof(publicKey33)} must be 33 bytes, got {publicKey33.Length}", nameof(publicKey33));
        }

        if (recoveryId is < 0 or > 3)
        {
            return false;
        }

        nint ctx = Secp256k1Context.Handle;
        byte* sig = stackalloc byte[Secp256k1Native.RecoverableSignatureSize];
        byte* pub = stackalloc byte[Secp256k1Native.PubKeySize];
        fixed (byte* input = compactSignature64)
        fixed (byte* hash = messageHash32)
        fixed (byte* output = publicKey33)
        {
            if (Secp256k1Native.secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, sig, input, recoveryId) != 1
                || Secp256k1Native.secp256k1_ecdsa_recover(ctx, pub, sig, hash) != 1)
            {
                return false;
            }

            nuint length = 33;
            return Secp256k1Native.secp256k1_ec_pubkey_serialize(ctx, output, &length, pub, Secp256k1Native.EcCompressed) == 1
                && length == 33;
        }
    }

    /// <summary>
    /// Produces a compact recoverable ECDSA signature (RFC 6979 nonce). Internal: the project never
    /// signs with ECDSA; tests use it to check recovery end to end.
    /// </summary>
    internal static int SignRecoverable(ReadOnlySpan<byte> messageHash32, SecretKey key, Span<byte> compactSignature64)
    {
        ArgumentNullException.ThrowIfNull(key);
        Schnorr.RequireLength(messageHash32, 32, nameof(messageHash32));
        Schnorr.RequireLength(compactSignature64, 64, nameof(compactSignature64));
        nint ctx = Secp256k1Context.Handle;
        byte* sig = stackalloc byte[Secp256k1Native.RecoverableSignatureSize];
        int recid;
        fixed (byte* secret = key.SecretSpan)
        fixed (byte* hash = messageHash32)
        fixed (byte* output = compactSignature64)
        {
            if (Secp256k1Native.secp256k1_ecdsa_sign_recoverable(ctx, sig, hash, secret, 0, 0) != 1
                || Secp256k1Native.secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx, output, &recid, sig) != 1)
            {
                throw new CryptographicException("libsecp256k1 refused to produce an ECDSA signature");
            }
        }

        GC.KeepAlive(key);
        return recid;
    }
}
