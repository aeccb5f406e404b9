namespace SovereignTrajectories.Nostr.Nip19;

/// <summary>A bare public key (<c>npub</c>), as 64 lower-case hex characters.</summary>
public sealed record NPub(string PubKey) : Nip19Entity
{
    public override string Prefix => Nip19Codec.NpubPrefix;
}
