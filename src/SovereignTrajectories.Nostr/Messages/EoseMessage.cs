using System.Buffers;

namespace SovereignTrajectories.Nostr.Messages;

/// <summary><c>["EOSE", id]</c>: the relay has sent every stored event matching the subscription.</summary>
public sealed record EoseMessage(string SubscriptionId) : RelayMessage
{
    public override void WriteTo(IBufferWriter<byte> writer) =>
        RelayJsonWriting.Write(writer, "EOSE", json => json.WriteStringValue(SubscriptionId));
}
