using System.Text;

namespace SovereignTrajectories.Worker.Otlp;

/// <summary>Writes the few protobuf fields the OTLP answers need.</summary>
internal static class ProtoWriter
{
    public static void Varint(Stream stream, int field, ulong value)
    {
        RawVarint(stream, (ulong)field << 3);
        RawVarint(stream, value);
    }

    public static void String(Stream stream, int field, string value) => Bytes(stream, field, Encoding.UTF8.GetBytes(value));

    public static void Bytes(Stream stream, int field, byte[] value)
    {
        RawVarint(stream, ((ulong)field << 3) | 2);
        RawVarint(stream, (ulong)value.Length);
        stream.Write(value);
    }

    private static void RawVarint(Stream stream, ulong value)
    {
        while (value >= 0x80)
        {
            stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        stream.WriteByte((byte)value);
    }
}
