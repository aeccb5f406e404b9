using System.Buffers;

namespace SovereignTrajectories.Nostr.Messages;

/// <summary><c>["CLOSE", id]</c>: end a subscription.</summary>
public sealed record CloseMessage(string SubscriptionId) : ClientMessage
{
    public string SubscriptionId { get; } = MessageWriting.CheckSubscriptionId(SubscriptionId);

    public override void WriteTo(IBufferWriter<byte> writer) =>
        MessageWriting.WriteSubscription(writer, "CLOSE", SubscriptionId, null);
}
