using System.Buffers;

namespace SovereignTrajectories.Nostr.Messages;

/// <summary><c>["CLOSED", id, message]</c>: the relay ended (or refused) a subscription. <see cref="Message"/> keeps the prefix.</summary>
public sealed record ClosedMessage(string SubscriptionId, MachineReadablePrefix Prefix, string Message) : RelayMessage
{
    public static ClosedMessage Create(string subscriptionId, string message) =>
        new(subscriptionId, MachineReadablePrefixParser.Parse(message).Prefix, message);

    public override void WriteTo(IBufferWriter<byte> writer) =>
        RelayJsonWriting.Write(writer, "CLOSED", json =>
        {
            json.WriteStringValue(SubscriptionId);
            json.WriteStringValue(RelayJsonWriting.Prefixed(Prefix, Message));
        });
}
