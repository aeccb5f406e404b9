using SovereignTrajectories.Nostr.Events;

namespace SovereignTrajectories.Audit.Claims;

/// <summary>A NIP-90 job feedback event (kind 7000): a status for a request, optionally asking for payment.</summary>
public sealed record JobFeedback(
    NostrEvent Event,
    string Status,
    string? StatusInfo,
    string? RequestEventId,
    string? CustomerPubKey,
    long? AmountMsat,
    string? Bolt11)
{
    public const int Kind = 7000;

    /// <summary>The status words NIP-90 defines.</summary>
    public static readonly IReadOnlySet<string> KnownStatuses = new HashSet<string>(StringComparer.Ordinal)
    {
        "payment-required", "processing", "error", "success", "partial",
    };
}
