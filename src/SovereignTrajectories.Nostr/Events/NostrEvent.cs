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
    /// <summary>NIP-01: kinds 30000-39999 are addressable (one per pubkey, kind and first <c>d</c> value).</summary>
    public bool IsAddressable => Kind is >= 30000 and < 40000;

    /// <summary>NIP-01: kinds 0, 3 and 10000-19999 are replaceable.</summary>
    public bool IsReplaceable => Kind is 0 or 3 or (>= 10000 and < 20000);

    /// <summary>NIP-01: kinds 20000-29999 are ephemeral.</summary>
    public bool IsEphemeral => Kind is >= 20000 and < 30000;

    /// <summary>The first <c>d</c> value; "" when absent, as NIP-01 treats it for addressable kinds.</summary>
    public string DTag => Tags.FindValue("d") ?? string.Empty;
}
