using SovereignTrajectories.Nostr.Crypto;

namespace SovereignTrajectories.Nostr.Events;

/// <summary>NIP-01 event ids: SHA-256 of the canonical preimage <c>[0,pubkey,created_at,kind,tags,content]</c>.</summary>
public static class EventId
{
    /// <summary>The id as 64 lower-case hex characters.</summary>
    public static string Compute(string pubKey, long createdAt, int kind, TagList tags, string content)
    {
        Span<byte> id = stackalloc byte[32];
        Compute(pubKey, createdAt, kind, tags, content, id);
        return Convert.ToHexStringLower(id);
    }

    /// <summary>Writes the 32-byte id into <paramref name="destination32"/>.</summary>
    public static void Compute(string pubKey, long createdAt, int kind, TagList tags, string content, Span<byte> destination32)
    {
        ArgumentNullException.ThrowIfNull(tags);
        ArgumentNullException.ThrowIfNull(content);
        if (destination32.Length != 32)
        {
            throw new ArgumentException($"the id destination must be 32 bytes, got {destination32.Length}", nameof(destination32));
        }

        using var buffer = new PooledByteBufferWriter(CanonicalJson.EstimateSize(tags, content));
        CanonicalJson.WriteIdPreimage(buffer, pubKey, createdAt, kind, tags, content);
        Sha256.Hash(buffer.WrittenSpan, destination32);
    }

    /// <summary>The id of <paramref name="e"/> computed from its content (not its claimed <see cref="NostrEvent.Id"/>).</summary>
    public static string Compute(NostrEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return Compute(e.PubKey, e.CreatedAt, e.Kind, e.Tags, e.Content);
    }
}
