using SovereignTrajectories.Nostr.Events;

namespace SovereignTrajectories.Audit.Claims;

/// <summary>A NIP-90 job request (kinds 5000-5999): the customer's ask, with its optional bid and the providers it names.</summary>
public sealed record JobRequest(NostrEvent Event, long? BidMsat, IReadOnlyList<string> ServiceProviders)
{
    public const int MinKind = 5000;
    public const int MaxKind = 5999;
}
