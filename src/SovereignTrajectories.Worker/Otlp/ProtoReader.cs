using System.Buffers.Binary;

namespace SovereignTrajectories.Worker.Otlp;

/// <summary>
/// A minimal protobuf wire-format reader (varint, fixed64, length-delimited, fixed32): enough to
/// walk OTLP messages without generated classes. Malformed input throws <see cref="InvalidDataException"/>.
/// </summary>
internal ref struct ProtoReader
{
    public const int VarintType = 0;
    public const int Fixed64Type = 1;
    public const int LengthDelimitedType = 2;
    public const int Fixed32Type = 5;

    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public ProtoReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public readonly bool End => _position >= _data.Length;

    /// <summary>The offset of the next unread byte in the message.</summary>
    public readonly int Position => _position;

    /// <summary>The next field's number and wire type.</summary>
    public (int Field, int WireType) ReadTag()
    {
        ulong tag = ReadVarint();
        int field = (int)(tag >> 3);
        if (field == 0)
        {
            throw new InvalidDataException($"field number 0 at byte {_position}");
        }

        return (field, (int)(tag & 7));
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _data.Length)
            {
                throw new InvalidDataException("truncated varint");
            }

            byte b = _data[_position++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }

        throw new InvalidDataException("varint longer than 10 bytes");
    }

    public ulong ReadFixed64()
    {
        ReadOnlySpan<byte> bytes = Take(8);
        return BinaryPrimitives.ReadUInt64LittleEndian(bytes);
    }

    public uint ReadFixed32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public ReadOnlySpan<byte> ReadBytes()
    {
        ulong length = ReadVarint();
        if (length > (ulong)(_data.Length - _position))
        {
            throw new InvalidDataException($"length {length} runs past the end of the message");
        }

        return Take((int)length);
    }

    /// <summary>Skips a field of <paramref name="wireType"/> (groups are not used by OTLP and are refused).</summary>
    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case 0:
                ReadVarint();
                break;
            case 1:
                Take(8);
                break;
            case 2:
                ReadBytes();
                break;
            case 5:
                Take(4);
                break;
            default:
                throw new InvalidDataException($"unsupported wire type {wireType}");
        }
    }

    /// <summary>Checks that a field has the wire type its schema says.</summary>
    public static void Expect(int field, int wireType, int expected, string message)
    {
        if (wireType != expected)
        {
            throw new InvalidDataException($"{message} field {field}: wire type {wireType}, expected {expected}");
        }
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _data.Length - _position)
        {
            throw new InvalidDataException("message truncated");
        }

        ReadOnlySpan<byte> slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }
}
