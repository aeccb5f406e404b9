using System.Buffers;

namespace SovereignTrajectories.Nostr.Messages;

/// <summary>A NIP-01 message a client sends to a relay (one WebSocket text frame).</summary>
public abstract record ClientMessage
{
    /// <summary>Writes the frame as UTF-8 JSON.</summary>
    public abstract void WriteTo(IBufferWriter<byte> writer);

    public byte[] ToUtf8()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteTo(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteTo(buffer);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
