using System.Runtime.InteropServices;

namespace SovereignTrajectories.Nostr.Crypto;

/// <summary>
/// Raw bindings to the system libsecp256k1 (0.2+, with the schnorrsig, extrakeys, ecdh and
/// recovery modules). Every argument is a pointer or an integer so no marshalling runs on the
/// hot path. Callers go through <see cref="Secp256k1Context.Handle"/>, which loads the library first.
/// </summary>
internal static unsafe partial class Secp256k1Native
{
    /// <summary>The name the resolver in <see cref="Secp256k1Context"/> maps to the installed file.</summary>
    internal const string LibraryName = "secp256k1";

    /// <summary>SECP256K1_CONTEXT_SIGN | SECP256K1_CONTEXT_VERIFY; both are no-ops since 0.2 but older builds need them.</summary>
    internal const uint ContextSignVerify = 0x0301;

    /// <summary>SECP256K1_EC_COMPRESSED.</summary>
    internal const uint EcCompressed = 0x0102;

    internal const int KeypairSize = 96;
    internal const int XOnlyPubKeySize = 64;
    internal const int PubKeySize = 64;
    internal const int RecoverableSignatureSize = 65;

    [LibraryImport(LibraryName)]
    internal static partial nint secp256k1_context_create(uint flags);

    [LibraryImport(LibraryName)]
    internal static partial int secp256k1_context_randomize(nint ctx, byte* seed32);

    [LibraryImport(LibraryName)]
    internal static partial int secp256k1_ec_seckey_verify(nint ctx, byte* seckey32);

    [LibraryImport(LibraryName)]
    internal static partial int secp256k1_keypair_create(nint ctx, byte* keypair96, byte* seckey32);

    [LibraryImport(LibraryName)]
    internal static partial int secp256k1_keypair_xonly_pub(nint ctx, byte* xonlyPubkey64, int* parity, byte* keypair96);

    [LibraryImport(LibraryName)]
    internal static partial int secp256k1_xonly_pubkey_parse(nint ctx, byte* xonlyPubkey64, byte* input32);

    [LibraryImport(LibraryName)]
    internal static partial int secp256k1_xonly_pubkey_serialize(nint ctx, byte* output32, byte* xonlyPubkey64);

    [LibraryImport(LibraryName)]
    internal static partial int secp256k1_schnorrsig_sign32(nint ctx, byte* sig64, byte* msg32, byte* keypair96, byte* auxRand32);

    [LibraryImport(LibraryName)]
    internal static partial int secp256k1_schnorrsig_sign_custom(nint ctx, byte* sig64, byte* msg, nuint msgLen, byte* keypair96, SchnorrExtraParams* extraParams);

    [LibraryImport(LibraryName)]
    internal static partial int secp256k1_schnorrsig_verify(nint ctx, byte* sig64, byte* msg, nuint msgLen, byte* xonlyPubkey64);

    [LibraryImport(LibraryName)]
    internal static partial int secp256k1_ec_pubkey_parse(nint ctx, byte* pubkey64, byte* input, nuint inputLen);

    [LibraryImport(LibraryName)]
    internal static partial int secp256k1_ec_pubkey_create(nint ctx, byte* pubkey64, byte* seckey32);

    [LibraryImport(LibraryName)]
    internal static partial int secp256k1_ec_pubkey_serialize(nint ctx, byte* output, nuint* outputLen, byte* pubkey64, uint flags);

    [LibraryImport(LibraryName)]
    internal static partial int secp256k1_ecdsa_recoverable_signature_parse_compact(nint ctx, byte* sig65, byte* input64, int recid);

    [LibraryImport(LibraryName)]
    internal static partial int secp256k1_ecdsa_recoverable_signature_serialize_compact(nint ctx, byte* output64, int* recid, byte* sig65);

    [LibraryImport(LibraryName)]
    internal static partial int secp256k1_ecdsa_sign_recoverable(nint ctx, byte* sig65, byte* msghash32, byte* seckey32, nint noncefp, nint ndata);

    [LibraryImport(LibraryName)]
    internal static partial int secp256k1_ecdsa_recover(nint ctx, byte* pubkey64, byte* sig65, byte* msghash32);

    [LibraryImport(LibraryName)]
    internal static partial int secp256k1_ecdh(nint ctx, byte* output, byte* pubkey64, byte* seckey32, delegate* unmanaged[Cdecl]<byte*, byte*, byte*, void*, int> hashfp, void* data);

    /// <summary>secp256k1_schnorrsig_extraparams: magic, nonce function (null = BIP-340 default), nonce data (aux_rand32).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct SchnorrExtraParams
    {
        public uint Magic;
        public nint NonceFunction;
        public void* NonceData;

        /// <summary>SECP256K1_SCHNORRSIG_EXTRAPARAMS_MAGIC as bytes da 6f b3 8c, read as a little-endian uint.</summary>
        public const uint MagicValue = 0x8cb36fda;
    }
}
