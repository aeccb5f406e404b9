using System.Buffers;

namespace SovereignTrajectories.Nostr.Messages;

/// <summary>
/// A NIP-01 message a relay sends to a client. <see cref="RelayMessageParser"/> reads them;
/// <see cref="WriteTo"/> writes them, for test relays and fixtures.
/// </summary>
public abstract record RelayMessage
{
    public abstract void WriteTo(IBufferWriter<byte> writer);

    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteTo(buffer);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
