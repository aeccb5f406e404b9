using System.Buffers.Binary;
using SovereignTrajectories.Nostr.Codecs;

namespace SovereignTrajectories.Nostr.Nip19;

public static partial class Nip19Codec
{
    private const byte TlvSpecial = 0;
    private const byte TlvRelay = 1;
    private const byte TlvAuthor = 2;
    private const byte TlvKind = 3;

    /// <summary>Writes any entity as its bech32 string.</summary>
    public static string Encode(Nip19Entity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        switch (entity)
        {
            case NPub p:
                return Bech32.Encode(NpubPrefix, HexField(p.PubKey, "pubkey"));
            case NSec s:
                return Bech32.Encode(NsecPrefix, s.SecretKey);
            case Note n:
                return Bech32.Encode(NotePrefix, HexField(n.Id, "id"));
            case NProfile p:
            {
                var tlv = new TlvWriter();
                tlv.Add(TlvSpecial, HexField(p.PubKey, "pubkey"));
                tlv.AddRelays(p.Relays);
                return Bech32.Encode(NprofilePrefix, tlv.ToArray());
            }

            case NEvent e:
            {
                var tlv = new TlvWriter();
                tlv.Add(TlvSpecial, HexField(e.Id, "id"));
                tlv.AddRelays(e.Relays);
                if (e.Author is not null)
                {
                    tlv.Add(TlvAuthor, HexField(e.Author, "author"));
                }

                if (e.Kind is int kind)
                {
                    tlv.Add(TlvKind, KindBytes(kind));
                }

                return Bech32.Encode(NeventPrefix, tlv.ToArray());
            }

            case NAddr a:
            {
                ArgumentNullException.ThrowIfNull(a.Identifier);
                var tlv = new TlvWriter();
                tlv.Add(TlvSpecial, System.Text.Encoding.UTF8.GetBytes(a.Identifier));
                tlv.AddRelays(a.Relays);
                tlv.Add(TlvAuthor, HexField(a.PubKey, "pubkey"));
                tlv.Add(TlvKind, KindBytes(a.Kind));
                return Bech32.Encode(NaddrPrefix, tlv.ToArray());
            }

            default:
                throw new ArgumentException($"unsupported NIP-19 entity {entity.GetType().Name}", nameof(entity));
        }
    }

    /// <summary>
    /// Reads any NIP-19 string (optionally as a NIP-21 <c>nostr:</c> URI). TLV types this code
    /// does not know are skipped, as NIP-19 asks.
    /// </summary>
    public static Nip19Entity Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        (string hrp, byte[] data) = DecodeRaw(StripUri(text));
        switch (hrp)
        {
            case NpubPrefix:
                return new NPub(Hex.Encode(Expect32(hrp, data)));
            case NsecPrefix:
                return new NSec(Expect32(hrp, data));
            case NotePrefix:
                return new Note(Hex.Encode(Expect32(hrp, data)));
            case NprofilePrefix:
            {
                var t = TlvRecords.Read(hrp, data);
                byte[] pubkey = t.Required(TlvSpecial, "pubkey");
                return new NProfile(Hex.Encode(Fixed32(hrp, "pubkey", TlvSpecial, pubkey)), t.Relays());
            }

            case NeventPrefix:
            {
                var t = TlvRecords.Read(hrp, data);
                byte[] id = t.Required(TlvSpecial, "id");
                byte[]? author = t.Optional(TlvAuthor);
                byte[]? kind = t.Optional(TlvKind);
                return new NEvent(
                    Hex.Encode(Fixed32(hrp, "id", TlvSpecial, id)),
                    t.Relays(),
                    author is null ? null : Hex.Encode(Fixed32(hrp, "author", TlvAuthor, author)),
                    kind is null ? null : ReadKind(hrp, kind));
            }

            case NaddrPrefix:
            {
                var t = TlvRecords.Read(hrp, data);
                byte[] identifier = t.Required(TlvSpecial, "identifier");
                byte[] author = t.Required(TlvAuthor, "author");
                byte[] kind = t.Required(TlvKind, "kind");
                string d;
                try
                {
                    d = new System.Text.UTF8Encoding(false, true).GetString(identifier);
                }
                catch (ArgumentException)
                {
                    throw new Nip19Exception("naddr: identifier (TLV type 0) is not valid UTF-8");
                }

                return new NAddr(d, Hex.Encode(Fixed32(hrp, "author", TlvAuthor, author)), ReadKind(hrp, kind), t.Relays());
            }

            default:
                throw new Nip19Exception($"unknown NIP-19 prefix '{hrp}'");
        }
    }

    private static byte[] Expect32(string hrp, byte[] data) =>
        data.Length == 32 ? data : throw new Nip19Exception($"{hrp} must carry 32 bytes, got {data.Length}");

    private static byte[] Fixed32(string hrp, string what, byte type, byte[] value) =>
        value.Length == 32
            ? value
            : throw new Nip19Exception($"{hrp}: {what} (TLV type {type}) must be 32 bytes, got {value.Length}");

    private static int ReadKind(string hrp, byte[] value)
    {
        if (value.Length != 4)
        {
            throw new Nip19Exception($"{hrp}: kind (TLV type 3) must be 4 bytes, got {value.Length}");
        }

        uint kind = BinaryPrimitives.ReadUInt32BigEndian(value);
        if (kind > int.MaxValue)
        {
            throw new Nip19Exception($"{hrp}: kind {kind} is out of range");
        }

        return (int)kind;
    }

    private static byte[] KindBytes(int kind)
    {
        if (kind < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "kind must not be negative");
        }

        var b = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, (uint)kind);
        return b;
    }

    private static byte[] HexField(string? hex, string what)
    {
        if (hex is null || !Hex.IsLowerHex(hex, 64))
        {
            throw new ArgumentException($"{what} must be 64 lower-case hex characters", what);
        }

        return Hex.Decode(hex);
    }

    private sealed class TlvWriter
    {
        private readonly List<byte> _bytes = [];

        public void Add(byte type, ReadOnlySpan<byte> value)
        {
            if (value.Length > 255)
            {
                throw new ArgumentException($"TLV type {type} value is {value.Length} bytes; the limit is 255");
            }

            _bytes.Add(type);
            _bytes.Add((byte)value.Length);
            foreach (byte b in value)
            {
                _bytes.Add(b);
            }
        }

        public void AddRelays(IReadOnlyList<string>? relays)
        {
            foreach (string relay in relays ?? [])
            {
                ArgumentNullException.ThrowIfNull(relay);
                Add(TlvRelay, System.Text.Encoding.UTF8.GetBytes(relay));
            }
        }

        public byte[] ToArray() => [.. _bytes];
    }

    private sealed class TlvRecords
    {
        private readonly string _hrp;
        private readonly List<(byte Type, byte[] Value)> _items = [];

        private TlvRecords(string hrp) => _hrp = hrp;

        public static TlvRecords Read(string hrp, ReadOnlySpan<byte> data)
        {
            var records = new TlvRecords(hrp);
            int i = 0;
            while (i < data.Length)
            {
                if (data.Length - i < 2)
                {
                    throw new Nip19Exception($"{hrp}: truncated TLV: 1 byte left at offset {i}, need type and length");
                }

                byte type = data[i];
                int length = data[i + 1];
                int left = data.Length - i - 2;
                if (length > left)
                {
                    throw new Nip19Exception($"{hrp}: truncated TLV: type {type} says {length} bytes, {left} left");
                }

                records._items.Add((type, data.Slice(i + 2, length).ToArray()));
                i += 2 + length;
            }

            return records;
        }

        /// <summary>The first value of <paramref name="type"/>; later repeats of single-valued types are ignored.</summary>
        public byte[] Required(byte type, string what) =>
            Optional(type) ?? throw new Nip19Exception($"{_hrp}: missing {what} (TLV type {type})");

        public byte[]? Optional(byte type)
        {
            foreach ((byte t, byte[] v) in _items)
            {
                if (t == type)
                {
                    return v;
                }
            }

            return null;
        }

        public IReadOnlyList<string> Relays()
        {
            var relays = new List<string>();
            foreach ((byte t, byte[] v) in _items)
            {
                if (t == TlvRelay)
                {
                    relays.Add(System.Text.Encoding.UTF8.GetString(v));
                }
            }

            return relays;
        }
    }
}
