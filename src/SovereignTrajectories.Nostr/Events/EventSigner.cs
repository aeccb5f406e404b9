using SovereignTrajectories.Nostr.Crypto;
using SovereignTrajectories.Nostr.Keys;

namespace SovereignTrajectories.Nostr.Events;

/// <summary>Turns an <see cref="UnsignedEvent"/> into a signed <see cref="NostrEvent"/>.</summary>
public static class EventSigner
{
    /// <summary>
    /// Computes the id under <paramref name="key"/>'s public key and signs it with BIP-340, using fresh
    /// 32-byte auxiliary randomness for each signature. Throws <see cref="EventFormatException"/> when a
    /// string holds a lone surrogate.
    /// </summary>
    public static NostrEvent Sign(UnsignedEvent template, SecretKey key)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(key);
        if (template.Kind is < 0 or > 65535)
        {
            throw new EventFormatException("kind", $"must be within 0-65535, found {template.Kind}");
        }

        if (template.CreatedAt < 0)
        {
            throw new EventFormatException("created_at", $"must not be negative, found {template.CreatedAt}");
        }

        string pubKey = key.PublicKey.Hex;
        Span<byte> id = stackalloc byte[32];
        EventId.Compute(pubKey, template.CreatedAt, template.Kind, template.Tags, template.Content, id);
        Span<byte> sig = stackalloc byte[64];
        Schnorr.Sign(id, key, sig);
        return new NostrEvent(
            Convert.ToHexStringLower(id),
            pubKey,
            template.CreatedAt,
            template.Kind,
            template.Tags,
            ContentValue.FromText(template.Content),
            SignatureValue.FromBytes(sig));
    }
}
