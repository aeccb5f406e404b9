namespace SovereignTrajectories.Nostr.Nip19;

/// <summary>
/// Something a NIP-19 bech32 string can name. Keys and ids are lower-case hex here, as the
/// rest of the protocol uses them; the codec turns them into and out of bytes.
/// </summary>
public abstract record Nip19Entity
{
    /// <summary>The bech32 prefix this entity is written with (npub, nevent, ...).</summary>
    public abstract string Prefix { get; }
}
