namespace SovereignTrajectories.Nostr.Nip19;

/// <summary>An event pointer (<c>nevent</c>): hex id, relay hints, and optionally author and kind.</summary>
public sealed record NEvent(string Id, IReadOnlyList<string> Relays, string? Author, int? Kind) : Nip19Entity
{
    public override string Prefix => Nip19Codec.NeventPrefix;

    public bool Equals(NEvent? other) =>
        other is not null && Id == other.Id && Author == other.Author && Kind == other.Kind
        && Relays.SequenceEqual(other.Relays, StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(Id, Author, Kind, Relays.Count);
}
