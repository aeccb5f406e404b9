using System.Security.Cryptography;
using SovereignTrajectories.Nostr.Keys;

namespace SovereignTrajectories.Nostr.Crypto;

/// <summary>
/// BIP-340 Schnorr signatures over secp256k1, computed by the system libsecp256k1. Thread-safe:
/// the shared context is read-only after its one-time randomisation.
/// </summary>
public static unsafe class Schnorr
{
    /// <summary>
    /// True when <paramref name="signature64"/> is a valid BIP-340 signature of <paramref name="message"/>
    /// (any length; Nostr signs the 32-byte event id) by <paramref name="xOnlyPublicKey32"/>. A key that
    /// is not on the curve makes the signature invalid rather than throwing.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> signature64, ReadOnlySpan<byte> message, ReadOnlySpan<byte> xOnlyPublicKey32)
    {
        RequireLength(signature64, 64, nameof(signature64));
        RequireLength(xOnlyPublicKey32, 32, nameof(xOnlyPublicKey32));
        nint ctx = Secp256k1Context.Handle;
        byte* parsed = stackalloc byte[Secp256k1Native.XOnlyPubKeySize];
        fixed (byte* pk = xOnlyPublicKey32)
        fixed (byte* sig = signature64)
        fixed (byte* msg = message)
        {
            return Secp256k1Native.secp256k1_xonly_pubkey_parse(ctx, parsed, pk) == 1
                && Secp256k1Native.secp256k1_schnorrsig_verify(ctx, sig, msg, (nuint)message.Length, parsed) == 1;
        }
    }

    /// <summary>True when <paramref name="key32"/> is the x coordinate of a point on secp256k1 (BIP-340 lift_x succeeds).</summary>
    public static bool IsValidXOnlyPublicKey(ReadOnlySpan<byte> key32)
    {
        if (key32.Length != 32)
        {
            return false;
        }

        nint ctx = Secp256k1Context.Handle;
        byte* parsed = stackalloc byte[Secp256k1Native.XOnlyPubKeySize];
        fixed (byte* pk = key32)
        {
            return Secp256k1Native.secp256k1_xonly_pubkey_parse(ctx, parsed, pk) == 1;
        }
    }

    /// <summary>Signs <paramref name="message"/> (normally a 32-byte event id) with fresh 32-byte auxiliary randomness.</summary>
    public static void Sign(ReadOnlySpan<byte> message, SecretKey key, Span<byte> signature64)
    {
        Span<byte> aux = stackalloc byte[32];
        RandomNumberGenerator.Fill(aux);
        Sign(message, key, aux, signature64);
    }

    /// <summary>
    /// Signs with caller-chosen auxiliary randomness, as the BIP-340 test vectors need. Production
    /// code should use the overload without <paramref name="auxRand32"/>.
    /// </summary>
    public static void Sign(ReadOnlySpan<byte> message, SecretKey key, ReadOnlySpan<byte> auxRand32, Span<byte> signature64)
    {
        ArgumentNullException.ThrowIfNull(key);
        RequireLength(auxRand32, 32, nameof(auxRand32));
        RequireLength(signature64, 64, nameof(signature64));
        nint ctx = Secp256k1Context.Handle;
        int ok;
        fixed (byte* keypair = key.KeypairSpan)
        fixed (byte* msg = message)
        fixed (byte* aux = auxRand32)
        fixed (byte* sig = signature64)
        {
            if (message.Length == 32)
            {
                ok = Secp256k1Native.secp256k1_schnorrsig_sign32(ctx, sig, msg, keypair, aux);
            }
            else
            {
                // BIP-340 allows any message length; the library needs the extended entry point for it.
                var extra = new Secp256k1Native.SchnorrExtraParams
                {
                    Magic = Secp256k1Native.SchnorrExtraParams.MagicValue,
                    NonceFunction = 0,
                    NonceData = aux,
                };
                ok = Secp256k1Native.secp256k1_schnorrsig_sign_custom(ctx, sig, msg, (nuint)message.Length, keypair, &extra);
            }
        }

        GC.KeepAlive(key);
        if (ok != 1)
        {
            throw new CryptographicException("libsecp256k1 refused to produce a Schnorr signature");
        }
    }

    /// <summary>Parses an x-only key into libsecp256k1's 64-byte internal form; false when it is not on the curve.</summary>
    internal static bool TryParseXOnly(nint ctx, byte* key32, byte* parsed64) =>
        Secp256k1Native.secp256k1_xonly_pubkey_parse(ctx, parsed64, key32) == 1;

    /// <summary>Verifies against an already parsed key: the event verifier parses once and reports why it failed.</summary>
    internal static bool VerifyParsed(nint ctx, byte* sig64, byte* msg, int msgLength, byte* parsed64) =>
        Secp256k1Native.secp256k1_schnorrsig_verify(ctx, sig64, msg, (nuint)msgLength, parsed64) == 1;

    internal static void RequireLength(ReadOnlySpan<byte> value, int length, string name)
    {
        if (value.Length != length)
        {
            throw new ArgumentException($"{name} must be {length} bytes, got {value.Length}", name);
        }
    }
}
