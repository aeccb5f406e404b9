namespace SovereignTrajectories.Nostr.Nip19;

/// <summary>
/// NIP-19 bech32 entities: the bare 32-byte forms (npub, nsec, note) and the TLV forms
/// (nprofile, nevent, naddr).
/// </summary>
public static partial class Nip19Codec
{
    /// <summary>NIP-19 strings can exceed BIP-173's 90 characters (TLV with relays); this bounds hostile input.</summary>
    public const int MaxLength = 5000;

    public const string NpubPrefix = "npub";
    public const string NsecPrefix = "nsec";
    public const string NotePrefix = "note";
    public const string NprofilePrefix = "nprofile";
    public const string NeventPrefix = "nevent";
    public const string NaddrPrefix = "naddr";

    public static string EncodeNpub(ReadOnlySpan<byte> publicKey) => EncodeKey32(NpubPrefix, publicKey, nameof(publicKey));

    public static string EncodeNsec(ReadOnlySpan<byte> secretKey) => EncodeKey32(NsecPrefix, secretKey, nameof(secretKey));

    public static string EncodeNote(ReadOnlySpan<byte> eventId) => EncodeKey32(NotePrefix, eventId, nameof(eventId));

    public static byte[] DecodeNpub(string text) => DecodeKey32(NpubPrefix, text);

    /// <summary>Decodes an nsec; errors never repeat the input, since it is a secret.</summary>
    public static byte[] DecodeNsec(string text) => DecodeKey32(NsecPrefix, text);

    public static byte[] DecodeNote(string text) => DecodeKey32(NotePrefix, text);

    private static string EncodeKey32(string hrp, ReadOnlySpan<byte> value, string paramName)
    {
        if (value.Length != 32)
        {
            throw new ArgumentException($"{hrp} needs exactly 32 bytes, got {value.Length}", paramName);
        }

        return Bech32.Encode(hrp, value);
    }

    private static byte[] DecodeKey32(string expectedHrp, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        (string hrp, byte[] data) = DecodeRaw(StripUri(text));
        ExpectPrefix(expectedHrp, hrp);
        if (data.Length != 32)
        {
            throw new Nip19Exception($"{expectedHrp} must carry 32 bytes, got {data.Length}");
        }

        return data;
    }

    private static (string Hrp, byte[] Data) DecodeRaw(string text)
    {
        try
        {
            return Bech32.Decode(text, MaxLength);
        }
        catch (Nip19Exception e)
        {
            throw new Nip19Exception("invalid NIP-19 string: " + e.Message, e);
        }
    }

    private static void ExpectPrefix(string expected, string actual)
    {
        if (!string.Equals(expected, actual, StringComparison.Ordinal))
        {
            throw new Nip19Exception($"wrong prefix: expected {expected}, got {actual}");
        }
    }

    /// <summary>NIP-21 allows a <c>nostr:</c> URI wrapper around any entity.</summary>
    private static string StripUri(string text) =>
        text.StartsWith("nostr:", StringComparison.OrdinalIgnoreCase) ? text["nostr:".Length..] : text;
}
