using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Nostr.Tests.CrossCheck;

namespace SovereignTrajectories.Nostr.Tests.Events;

/// <summary>
/// The parser's one-pass id (computed from the bytes as read) must always be the id the canonical
/// serialiser gives for the parsed event, whatever spelling the input used.
/// </summary>
public sealed class EventParserIdTests
{
    private static readonly string Sig = new('b', 128);

    private static NostrEvent WithId(string pubKey, long createdAt, int kind, TagList tags, string content) =>
        new(EventId.Compute(pubKey, createdAt, kind, tags, content), pubKey, createdAt, kind, tags, content, Sig);

    private static (NostrEvent Event, string Id) ParseWithId(string json)
    {
        byte[] id = new byte[32];
        NostrEvent e = EventParser.Parse(System.Text.Encoding.UTF8.GetBytes(json), id);
        return (e, Convert.ToHexStringLower(id));
    }

    [Fact]
    public void Id_of_the_cross_checked_escape_vector_is_computed_while_parsing()
    {
        NostrEvent e = WithId(Nip01Vectors.PubKey, 1700000000, 39230, Nip01Vectors.EscapesTags, Nip01Vectors.EscapesContent);
        (NostrEvent parsed, string id) = ParseWithId(CanonicalJson.Serialize(e));
        Assert.Equal(Nip01Vectors.EscapesId, id);
        Assert.Equal(e, parsed);
    }

    [Fact]
    public void Id_computed_while_parsing_equals_the_serialiser_id_for_random_events()
    {
        var random = new RandomEvents(RandomEvents.ChooseSeed());
        for (int i = 0; i < 300; i++)
        {
            UnsignedEvent t = random.NextTemplate();
            NostrEvent e = WithId(Nip01Vectors.PubKey, t.CreatedAt, t.Kind, t.Tags, t.Content);
            (NostrEvent parsed, string id) = ParseWithId(CanonicalJson.Serialize(e));
            Assert.True(e.Id == id, $"event {i}, {random.Replay}");
            Assert.Equal(e, parsed);
        }
    }

    [Theory]
    [InlineData("a\\/b", "a/b")]
    [InlineData("\\u0041BC", "ABC")]
    [InlineData("x\\u001Fy", "x\u001fy")]
    [InlineData("x\\u000ay", "x\ny")]
    [InlineData("x\\u0009y", "x\ty")]
    [InlineData("\\ud83d\\ude00", "\U0001F600")]
    [InlineData("\\u2028 \\u007f", "\u2028 \u007f")]
    [InlineData("\\u00e9", "é")]
    [InlineData("ok \\\"q\\\" \\\\ \\n\\r\\t\\b\\f \\u0001 \\u001f", "ok \"q\" \\ \n\r\t\b\f \u0001 \u001f")]
    public void Non_canonical_spellings_give_the_id_of_the_decoded_text(string spelled, string decoded)
    {
        var tags = new TagList([new Tag("t", decoded, "x"), new Tag("d", "s:1")]);
        NostrEvent canonical = WithId(Nip01Vectors.PubKey, 1700000000, 39231, tags, decoded);
        string json = $"{{ \"content\" : \"{spelled}\", \"tags\": [ [\"t\", \"{spelled}\" , \"x\"], [\"\\u0064\",\"s:1\"] ], \"kind\": 39231,"
            + $" \"extra\": [1, {{\"a\": null}}], \"created_at\": 1700000000, \"pubkey\": \"{Nip01Vectors.PubKey}\", \"id\": \"{canonical.Id}\", \"sig\": \"{Sig}\" }}";
        (NostrEvent parsed, string id) = ParseWithId(json);
        Assert.Equal(canonical, parsed);
        Assert.Equal(canonical.Id, id);
    }

    [Fact]
    public void Event_without_tags_hashes_an_empty_tag_list()
    {
        NostrEvent e = WithId(Nip01Vectors.PubKey, 0, 0, TagList.Empty, string.Empty);
        (_, string id) = ParseWithId(CanonicalJson.Serialize(e));
        Assert.Equal(e.Id, id);
    }

    [Theory]
    [InlineData("{\"id\":\"ab\"}", "id")]
    [InlineData("[]", "json")]
    [InlineData("", "json")]
    [InlineData("{\"tags\":[[]]}", "tags[0]")]
    [InlineData("{\"tags\":[[\"t\",\"\\ud800\"]]}", "tags[0][1]")]
    [InlineData("{\"content\":\"x\",\"content\":\"y\"}", "content")]
    public void Malformed_input_is_rejected_exactly_as_without_the_id(string json, string field)
    {
        byte[] utf8 = System.Text.Encoding.UTF8.GetBytes(json);
        var plain = Assert.Throws<EventFormatException>(() => EventParser.Parse(utf8));
        var withId = Assert.Throws<EventFormatException>(() => EventParser.Parse(utf8, new byte[32]));
        Assert.Equal(field, withId.Field);
        Assert.Equal(plain.Message, withId.Message);
        Assert.False(EventParser.TryParse(utf8, new byte[32], out NostrEvent? none, out EventFormatException? error));
        Assert.Null(none);
        Assert.Equal(plain.Message, error!.Message);
    }

    [Fact]
    public void Id_destination_of_wrong_length_is_rejected()
    {
        NostrEvent e = WithId(Nip01Vectors.PubKey, 1, 1, TagList.Empty, "x");
        var ex = Assert.Throws<ArgumentException>(() => EventParser.Parse(System.Text.Encoding.UTF8.GetBytes(CanonicalJson.Serialize(e)), new byte[31]));
        Assert.Equal("computedId32", ex.ParamName);
    }

    [Fact]
    public void Verifier_with_the_parsed_id_agrees_with_the_verifier_that_serialises_again()
    {
        using SecretKey key = SecretKey.Generate();
        NostrEvent signed = EventSigner.Sign(new UnsignedEvent(1700000000, 39231, [new Tag("d", "s:1")], "say \"hi\"\n"), key);
        NostrEvent forged = signed with { Content = "say \"bye\"\n" };
        var keys = new EventVerifier.PublicKeyCache();
        foreach (NostrEvent e in new[] { signed, forged, signed with { Sig = new string('0', 128) } })
        {
            byte[] id = new byte[32];
            NostrEvent parsed = EventParser.Parse(System.Text.Encoding.UTF8.GetBytes(CanonicalJson.Serialize(e)), id);
            Assert.Equal(EventVerifier.Verify(e), EventVerifier.Verify(parsed, id, keys));
        }

        Assert.True(EventVerifier.Verify(signed, Convert.FromHexString(signed.Id), keys).IsValid);
        Assert.StartsWith("id mismatch: computed ", EventVerifier.Verify(forged, new byte[32], keys).Reason, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => EventVerifier.Verify(signed, new byte[16], keys));
    }

    [Theory]
    [InlineData("plain", true)]
    [InlineData("a\\\"b\\\\c\\nd\\re\\tf\\bg\\fh", true)]
    [InlineData("\\u0000\\u001f\\u000b", true)]
    [InlineData("\\u001F", false)]
    [InlineData("\\u000a", false)]
    [InlineData("\\u0008", false)]
    [InlineData("\\u0020", false)]
    [InlineData("\\u00e9", false)]
    [InlineData("\\/", false)]
    [InlineData("\\\\u0041", true)]
    [InlineData("\\u00", false)]
    public void Canonical_escapes_are_told_apart_from_other_spellings(string raw, bool canonical)
    {
        Assert.Equal(canonical, IdPreimage.HasCanonicalEscapes(System.Text.Encoding.UTF8.GetBytes(raw)));
    }
}
