using SovereignTrajectories.Nostr.Events;

namespace SovereignTrajectories.Nostr.RelayInfo;

/// <summary>
/// A NIP-11 relay information document (served at the relay URL with
/// <c>Accept: application/nostr+json</c>). Only the fields this system uses are kept.
/// </summary>
public sealed partial record RelayInformation
{
    public string? Name { get; init; }

    public string? Description { get; init; }

    /// <summary>The operator's hex public key.</summary>
    public string? PubKey { get; init; }

    public string? Contact { get; init; }

    public IReadOnlyList<int> SupportedNips { get; init; } = [];

    public string? Software { get; init; }

    public string? Version { get; init; }

    public string? Icon { get; init; }

    public string? PostingPolicy { get; init; }

    public RelayLimitation? Limitation { get; init; }

    public bool Supports(int nip) => SupportedNips.Contains(nip);

    /// <summary>See <see cref="RelayLimitation.CheckEvent"/>; null when the relay states no limits.</summary>
    public string? CheckEvent(NostrEvent e, int serialisedLength, long now) =>
        Limitation?.CheckEvent(e, serialisedLength, now);

    public bool Equals(RelayInformation? other) =>
        other is not null
        && Name == other.Name && Description == other.Description && PubKey == other.PubKey
        && Contact == other.Contact && Software == other.Software && Version == other.Version
        && Icon == other.Icon && PostingPolicy == other.PostingPolicy
        && SupportedNips.SequenceEqual(other.SupportedNips)
        && Equals(Limitation, other.Limitation);

    public override int GetHashCode() => HashCode.Combine(Name, PubKey, Software, Version, SupportedNips.Count, Limitation);
}
