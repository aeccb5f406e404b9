using System.Buffers;

namespace SovereignTrajectories.Nostr.Messages;

/// <summary>
/// <c>["OK", event id, accepted, message]</c>. <see cref="Message"/> is the relay's text as sent,
/// prefix included; <see cref="Prefix"/> is its parsed machine-readable prefix.
/// </summary>
public sealed record OkMessage(string EventId, bool Accepted, MachineReadablePrefix Prefix, string Message) : RelayMessage
{
    /// <summary>Builds an OK whose prefix is parsed from <paramref name="message"/>.</summary>
    public static OkMessage Create(string eventId, bool accepted, string message) =>
        new(eventId, accepted, MachineReadablePrefixParser.Parse(message).Prefix, message);

    /// <summary>NIP-01: <c>duplicate:</c> means the relay already has the event, which is success for a publisher.</summary>
    public bool IsStored => Accepted || Prefix == MachineReadablePrefix.Duplicate;

    public override void WriteTo(IBufferWriter<byte> writer) =>
        RelayJsonWriting.Write(writer, "OK", json =>
        {
            json.WriteStringValue(EventId);
            json.WriteBooleanValue(Accepted);
            json.WriteStringValue(RelayJsonWriting.Prefixed(Prefix, Message));
        });
}
