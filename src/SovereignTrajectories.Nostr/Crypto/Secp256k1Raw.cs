namespace SovereignTrajectories.Nostr.Crypto;

/// <summary>
/// The bare libsecp256k1 calls behind signing and verification, on bytes the caller has prepared.
/// Internal: the benchmark uses them as the ceiling that the public API is measured against.
/// </summary>
internal static unsafe class Secp256k1Raw
{
    public static bool Sign32(ReadOnlySpan<byte> keypair96, ReadOnlySpan<byte> message32, ReadOnlySpan<byte> auxRand32, Span<byte> signature64)
    {
        nint ctx = Secp256k1Context.Handle;
        fixed (byte* kp = keypair96)
        fixed (byte* m = message32)
        fixed (byte* a = auxRand32)
        fixed (byte* s = signature64)
        {
            return Secp256k1Native.secp256k1_schnorrsig_sign32(ctx, s, m, kp, a) == 1;
        }
    }

    public static bool ParseAndVerify(ReadOnlySpan<byte> signature64, ReadOnlySpan<byte> message32, ReadOnlySpan<byte> xOnlyPublicKey32)
    {
        nint ctx = Secp256k1Context.Handle;
        byte* parsed = stackalloc byte[Secp256k1Native.XOnlyPubKeySize];
        fixed (byte* pk = xOnlyPublicKey32)
        fixed (byte* m = message32)
        fixed (byte* s = signature64)
        {
            return Secp256k1Native.secp256k1_xonly_pubkey_parse(ctx, parsed, pk) == 1
                && Secp256k1Native.secp256k1_schnorrsig_verify(ctx, s, m, 32, parsed) == 1;
        }
    }
}
