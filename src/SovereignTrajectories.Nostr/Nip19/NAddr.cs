namespace SovereignTrajectories.Nostr.Nip19;

/// <summary>
/// An addressable event coordinate (<c>naddr</c>): the <c>d</c> identifier, author hex pubkey,
/// kind and relay hints. All but the relays are required on the wire.
/// </summary>
public sealed record NAddr(string Identifier, string PubKey, int Kind, IReadOnlyList<string> Relays) : Nip19Entity
{
    public override string Prefix => Nip19Codec.NaddrPrefix;

    /// <summary>The NIP-01 <c>a</c> tag value: <c>kind:pubkey:identifier</c>.</summary>
    public string Coordinate => $"{Kind}:{PubKey}:{Identifier}";

    public bool Equals(NAddr? other) =>
        other is not null && Identifier == other.Identifier && PubKey == other.PubKey && Kind == other.Kind
        && Relays.SequenceEqual(other.Relays, StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(Identifier, PubKey, Kind, Relays.Count);
}
