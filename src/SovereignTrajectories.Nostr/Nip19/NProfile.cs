namespace SovereignTrajectories.Nostr.Nip19;

/// <summary>A profile (<c>nprofile</c>): a hex public key plus relays where it is likely found.</summary>
public sealed record NProfile(string PubKey, IReadOnlyList<string> Relays) : Nip19Entity
{
    public override string Prefix => Nip19Codec.NprofilePrefix;

    public bool Equals(NProfile? other) =>
        other is not null && PubKey == other.PubKey && Relays.SequenceEqual(other.Relays, StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(PubKey, Relays.Count);
}
