using System.Text;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Keys;

namespace SovereignTrajectories.Nostr.Tests.Events;

/// <summary>
/// An event keeps a well-formed sig as 64 bytes and renders the text on request: every way of reading,
/// comparing, copying and serialising the event must behave as if it held the text.
/// </summary>
public sealed class NostrEventSignatureTests
{
    private static NostrEvent Signed()
    {
        using SecretKey key = SecretKey.Generate();
        return EventSigner.Sign(new UnsignedEvent(1700000000, 39231, [new Tag("d", "s:1")], "step"), key);
    }

    [Fact]
    public void Parsed_event_gives_back_the_signature_text_it_read_and_equals_the_original()
    {
        NostrEvent signed = Signed();
        string json = CanonicalJson.Serialize(signed);
        NostrEvent parsed = EventParser.Parse(Encoding.UTF8.GetBytes(json));

        Assert.Equal(signed.Sig, parsed.Sig);
        Assert.Equal(signed, parsed);
        Assert.Equal(signed.GetHashCode(), parsed.GetHashCode());
        Assert.Equal(json, CanonicalJson.Serialize(parsed));
        Assert.True(EventVerifier.Verify(parsed).IsValid);
    }

    [Fact]
    public void Hand_built_event_with_the_same_text_equals_the_parsed_one()
    {
        NostrEvent signed = Signed();
        NostrEvent parsed = EventParser.Parse(Encoding.UTF8.GetBytes(CanonicalJson.Serialize(signed)));
        var rebuilt = new NostrEvent(parsed.Id, parsed.PubKey, parsed.CreatedAt, parsed.Kind, parsed.Tags, parsed.Content, new string(parsed.Sig.ToCharArray()));

        Assert.Equal(parsed, rebuilt);
        Assert.Equal(parsed.GetHashCode(), rebuilt.GetHashCode());
    }

    [Fact]
    public void A_changed_signature_makes_a_different_event()
    {
        NostrEvent signed = Signed();
        char last = signed.Sig[^1] == '0' ? '1' : '0';
        NostrEvent changed = signed with { Sig = signed.Sig[..^1] + last };

        Assert.NotEqual(signed, changed);
        Assert.Equal(signed.Sig[..^1] + last, changed.Sig);
        Assert.False(EventVerifier.Verify(changed).IsValid);
    }

    [Theory]
    [InlineData("not hex at all")]
    [InlineData("")]
    public void Malformed_text_is_kept_as_given_and_refused_by_the_verifier(string text)
    {
        NostrEvent e = Signed() with { Sig = text };

        Assert.Equal(text, e.Sig);
        Assert.Equal("sig is not 128 lower-case hex characters", EventVerifier.Verify(e).Reason);
    }

    [Fact]
    public void Upper_case_signature_text_is_kept_exactly_and_refused()
    {
        NostrEvent signed = Signed();
        NostrEvent upper = signed with { Sig = signed.Sig.ToUpperInvariant() };

        Assert.Equal(signed.Sig.ToUpperInvariant(), upper.Sig);
        Assert.NotEqual(signed, upper);
        Assert.Equal("sig is not 128 lower-case hex characters", EventVerifier.Verify(upper).Reason);
    }

    [Fact]
    public void Null_signature_reads_back_as_null()
    {
        NostrEvent e = Signed() with { Sig = null! };

        Assert.Null(e.Sig);
        Assert.False(EventVerifier.Verify(e).IsValid);
    }

    [Fact]
    public void Escaped_hex_in_json_reads_as_the_same_signature()
    {
        NostrEvent signed = Signed();
        string json = CanonicalJson.Serialize(signed);
        // A JSON escape for the first digit: valid JSON naming the same text, read by the slow path.
        string first = signed.Sig[..1];
        string escaped = json.Replace("\"sig\":\"" + first, "\"sig\":\"\\u00" + ((int)first[0]).ToString("x2"), StringComparison.Ordinal);
        Assert.NotEqual(json, escaped);

        NostrEvent parsed = EventParser.Parse(Encoding.UTF8.GetBytes(escaped));

        Assert.Equal(signed.Sig, parsed.Sig);
        Assert.Equal(signed, parsed);
    }

    [Fact]
    public void Parser_still_names_what_is_wrong_with_a_bad_signature()
    {
        string json = CanonicalJson.Serialize(Signed());
        string sig = EventParser.Parse(Encoding.UTF8.GetBytes(json)).Sig;

        var upper = Assert.Throws<EventFormatException>(() => EventParser.Parse(Encoding.UTF8.GetBytes(json.Replace(sig, sig.ToUpperInvariant(), StringComparison.Ordinal))));
        var shortSig = Assert.Throws<EventFormatException>(() => EventParser.Parse(Encoding.UTF8.GetBytes(json.Replace(sig, sig[..126], StringComparison.Ordinal))));

        Assert.Contains("upper-case hex digit", upper.Message, StringComparison.Ordinal);
        Assert.Contains("found 126 characters", shortSig.Message, StringComparison.Ordinal);
    }
}
