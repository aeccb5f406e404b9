namespace SovereignTrajectories.Nostr.Events;

/// <summary>
/// A signed NIP-01 event exactly as it travels: <see cref="Id"/>, <see cref="PubKey"/> and
/// <see cref="Sig"/> are lower-case hex. Constructing one checks nothing; use the parser for
/// untrusted input and the verifier before trusting the signature.
/// </summary>
public sealed record NostrEvent(
    string Id,
    string PubKey,
    long CreatedAt,
    int Kind,
    TagList Tags,
    string Content,
    string Sig)
{
    // Held as 64 bytes, not 128 characters of text: see SignatureValue. The property still reads and
    // compares as the text it was given.
    private readonly SignatureValue _sig = SignatureValue.FromText(Sig);

    // Text, or UTF-8 bytes in an arena when parsed from an archive: see Utf8ContentArena.
    private readonly ContentValue _content = ContentValue.FromText(Content);

    /// <summary>
    /// An event whose signature the parser has already read as bytes: nothing is rendered to text and
    /// parsed back.
    /// </summary>
    internal NostrEvent(string id, string pubKey, long createdAt, int kind, TagList tags, ContentValue content, SignatureValue sig)
        : this(id, pubKey, createdAt, kind, tags, (string)null!, (string)null!)
    {
        _content = content;
        _sig = sig;
    }

    /// <summary>The content. An event parsed into a <see cref="Utf8ContentArena"/> decodes it on every read.</summary>
    public string Content
    {
        get => _content.Text!;
        init => _content = ContentValue.FromText(value);
    }

    /// <summary>The signature: 128 lower-case hex characters in a well-formed event.</summary>
    public string Sig
    {
        get => _sig.Text!;
        init => _sig = SignatureValue.FromText(value);
    }

    /// <summary>
    /// The content as UTF-8, when the event holds it that way (parsed into a <see cref="Utf8ContentArena"/>);
    /// otherwise <see langword="false"/>, and <see cref="Content"/> is the text as given.
    /// </summary>
    public bool TryGetContentUtf8(out ReadOnlyMemory<byte> utf8) => _content.TryGetUtf8(out utf8);

    /// <summary>The 64 signature bytes, when <see cref="Sig"/> is 128 lower-case hex characters.</summary>
    internal bool TryCopySignature(Span<byte> destination) => _sig.TryCopyTo(destination);

    /// <summary>NIP-01: kinds 30000-39999 are addressable (one per pubkey, kind and first <c>d</c> value).</summary>
    public bool IsAddressable => Kind is >= 30000 and < 40000;

    /// <summary>NIP-01: kinds 0, 3 and 10000-19999 are replaceable.</summary>
    public bool IsReplaceable => Kind is 0 or 3 or (>= 10000 and < 20000);

    /// <summary>NIP-01: kinds 20000-29999 are ephemeral.</summary>
    public bool IsEphemeral => Kind is >= 20000 and < 30000;

    /// <summary>The first <c>d</c> value; "" when absent, as NIP-01 treats it for addressable kinds.</summary>
    public string DTag => Tags.FindValue("d") ?? string.Empty;
}
