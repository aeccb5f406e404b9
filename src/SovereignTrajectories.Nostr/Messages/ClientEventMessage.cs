using System.Buffers;
using SovereignTrajectories.Nostr.Events;

namespace SovereignTrajectories.Nostr.Messages;

/// <summary><c>["EVENT", event]</c>: publish. The event is written in NIP-01 canonical form.</summary>
public sealed record ClientEventMessage(NostrEvent Event) : ClientMessage
{
    public NostrEvent Event { get; } = Event ?? throw new ArgumentNullException(nameof(Event));

    public override void WriteTo(IBufferWriter<byte> writer) => Write(writer, Event);

    /// <summary>Writes <c>["EVENT",{...}]</c> without allocating a message object (the publish hot path).</summary>
    public static void Write(IBufferWriter<byte> writer, NostrEvent e) =>
        MessageWriting.WriteLabelledEvent(writer, "EVENT", e);
}
