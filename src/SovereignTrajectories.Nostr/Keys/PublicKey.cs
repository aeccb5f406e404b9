using SovereignTrajectories.Nostr.Crypto;
using SovereignTrajectories.Nostr.Codecs;
using SovereignTrajectories.Nostr.Nip19;

namespace SovereignTrajectories.Nostr.Keys;

/// <summary>
/// A BIP-340 x-only public key as Nostr writes it: 64 lower-case hex characters naming a point on
/// secp256k1. Construction validates both, so a <see cref="PublicKey"/> is always usable for verification.
/// </summary>
public sealed record PublicKey(string Hex)
{
    /// <summary>The key as 64 lower-case hex characters.</summary>
    public string Hex { get; } = Validate(Hex);

    /// <summary>Parses 64 hex characters (either case) or an <c>npub1...</c> string.</summary>
    public static PublicKey Parse(string hexOrNpub)
    {
        ArgumentNullException.ThrowIfNull(hexOrNpub);
        string text = hexOrNpub.Trim();
        if (text.StartsWith(Nip19Codec.NpubPrefix + "1", StringComparison.OrdinalIgnoreCase))
        {
            return new PublicKey(Convert.ToHexStringLower(Nip19Codec.DecodeNpub(text)));
        }

        return new PublicKey(text.ToLowerInvariant());
    }

    /// <summary>The NIP-19 <c>npub1...</c> form.</summary>
    public string ToNpub() => Nip19Codec.EncodeNpub(ToBytes());

    /// <summary>The 32 key bytes.</summary>
    public byte[] ToBytes() => Convert.FromHexString(Hex);

    public override string ToString() => Hex;

    private static string Validate(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (!Codecs.Hex.IsLowerHex(hex, 64))
        {
            throw new FormatException(
                hex.Length == 64
                    ? $"public key '{hex}' is not lower-case hex"
                    : $"public key must be 64 lower-case hex characters, got {hex.Length} characters");
        }

        Span<byte> bytes = stackalloc byte[32];
        Convert.FromHexString(hex, bytes, out _, out _);
        if (!Schnorr.IsValidXOnlyPublicKey(bytes))
        {
            throw new FormatException($"public key '{hex}' is not a valid x-only secp256k1 point");
        }

        return hex;
    }
}
