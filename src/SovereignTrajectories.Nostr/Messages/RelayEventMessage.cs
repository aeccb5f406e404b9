using System.Buffers;
using SovereignTrajectories.Nostr.Events;

namespace SovereignTrajectories.Nostr.Messages;

/// <summary><c>["EVENT", id, event]</c> whose event passed the strict parse (its signature is not yet checked).</summary>
public sealed record RelayEventMessage(string SubscriptionId, NostrEvent Event) : RelayMessage
{
    public override void WriteTo(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        MessageWriting.WriteAscii(writer, "[\"EVENT\",");
        CanonicalJson.WriteString(writer, SubscriptionId, "subscription id");
        MessageWriting.WriteAscii(writer, ",");
        CanonicalJson.WriteEvent(writer, Event);
        MessageWriting.WriteAscii(writer, "]");
    }
}
