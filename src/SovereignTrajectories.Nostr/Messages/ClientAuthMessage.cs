using System.Buffers;
using SovereignTrajectories.Nostr.Events;

namespace SovereignTrajectories.Nostr.Messages;

/// <summary><c>["AUTH", event]</c>: the NIP-42 answer to a relay's challenge (a signed kind 22242).</summary>
public sealed record ClientAuthMessage(NostrEvent Event) : ClientMessage
{
    public NostrEvent Event { get; } = Event ?? throw new ArgumentNullException(nameof(Event));

    public override void WriteTo(IBufferWriter<byte> writer) =>
        MessageWriting.WriteLabelledEvent(writer, "AUTH", Event);
}
