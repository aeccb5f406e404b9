using System.Buffers;

namespace SovereignTrajectories.Nostr.Messages;

/// <summary><c>["AUTH", challenge]</c>: the relay asks the client to authenticate (NIP-42).</summary>
public sealed record AuthChallengeMessage(string Challenge) : RelayMessage
{
    public override void WriteTo(IBufferWriter<byte> writer) =>
        RelayJsonWriting.Write(writer, "AUTH", json => json.WriteStringValue(Challenge));
}
