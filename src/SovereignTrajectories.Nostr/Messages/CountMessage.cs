using System.Buffers;

namespace SovereignTrajectories.Nostr.Messages;

/// <summary><c>["COUNT", id, {"count": n, "approximate": b}]</c>: the NIP-45 answer.</summary>
public sealed record CountMessage(string SubscriptionId, long Count, bool? Approximate) : RelayMessage
{
    public override void WriteTo(IBufferWriter<byte> writer) =>
        RelayJsonWriting.Write(writer, "COUNT", json =>
        {
            json.WriteStringValue(SubscriptionId);
            json.WriteStartObject();
            json.WriteNumber("count", Count);
            if (Approximate is bool approximate)
            {
                json.WriteBoolean("approximate", approximate);
            }

            json.WriteEndObject();
        });
}
