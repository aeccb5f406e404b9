using System.Buffers;

namespace SovereignTrajectories.Nostr.Messages;

/// <summary><c>["NOTICE", message]</c>: human-readable text from the relay.</summary>
public sealed record NoticeMessage(string Message) : RelayMessage
{
    public override void WriteTo(IBufferWriter<byte> writer) =>
        RelayJsonWriting.Write(writer, "NOTICE", json => json.WriteStringValue(Message));
}
