using System.Buffers;
using SovereignTrajectories.Nostr.Filters;

namespace SovereignTrajectories.Nostr.Messages;

/// <summary><c>["REQ", id, filter, ...]</c>: open a subscription; at least one filter.</summary>
public sealed record ReqMessage(string SubscriptionId, IReadOnlyList<Filter> Filters) : ClientMessage
{
    public string SubscriptionId { get; } = MessageWriting.CheckSubscriptionId(SubscriptionId);

    public IReadOnlyList<Filter> Filters { get; } = MessageWriting.CheckFilters(Filters);

    public override void WriteTo(IBufferWriter<byte> writer) =>
        MessageWriting.WriteSubscription(writer, "REQ", SubscriptionId, Filters);

    public bool Equals(ReqMessage? other) =>
        other is not null && SubscriptionId == other.SubscriptionId && Filters.SequenceEqual(other.Filters);

    public override int GetHashCode() => HashCode.Combine(SubscriptionId, Filters.Count);
}
