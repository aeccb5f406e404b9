using System.Buffers;
using SovereignTrajectories.Nostr.Filters;

namespace SovereignTrajectories.Nostr.Messages;

/// <summary><c>["COUNT", id, filter, ...]</c>: NIP-45 count request; at least one filter.</summary>
public sealed record CountRequestMessage(string SubscriptionId, IReadOnlyList<Filter> Filters) : ClientMessage
{
    public string SubscriptionId { get; } = MessageWriting.CheckSubscriptionId(SubscriptionId);

    public IReadOnlyList<Filter> Filters { get; } = MessageWriting.CheckFilters(Filters);

    public override void WriteTo(IBufferWriter<byte> writer) =>
        MessageWriting.WriteSubscription(writer, "COUNT", SubscriptionId, Filters);

    public bool Equals(CountRequestMessage? other) =>
        other is not null && SubscriptionId == other.SubscriptionId && Filters.SequenceEqual(other.Filters);

    public override int GetHashCode() => HashCode.Combine(SubscriptionId, Filters.Count);
}
