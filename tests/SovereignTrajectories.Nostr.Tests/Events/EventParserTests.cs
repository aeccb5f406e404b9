using System.Text;
using SovereignTrajectories.Nostr.Events;

namespace SovereignTrajectories.Nostr.Tests.Events;

public sealed class EventParserTests
{
    private const string Id = "b95ecb90839ed990c80137e9c2476fcd6004679389b19098f99d84f99e2fce4f";
    private const string Pub = "f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9";
    private static readonly string Sig = new('c', 128);

    private static string Json(
        string id = $"\"{Id}\"",
        string pubkey = $"\"{Pub}\"",
        string createdAt = "1700000000",
        string kind = "39230",
        string tags = "[[\"d\",\"my-id\"]]",
        string content = "\"hi\"",
        string? sig = null,
        string extra = "") =>
        $"{{\"id\":{id},\"pubkey\":{pubkey},\"created_at\":{createdAt},\"kind\":{kind},\"tags\":{tags},\"content\":{content},\"sig\":{sig ?? "\"" + Sig + "\""}{extra}}}";

    private static EventFormatException Rejects(string json)
    {
        var ex = Assert.Throws<EventFormatException>(() => EventParser.Parse(System.Text.Encoding.UTF8.GetBytes(json)));
        Assert.Equal($"{ex.Field}: {ex.Reason}", ex.Message);
        return ex;
    }

    [Fact]
    public void Parses_a_well_formed_event()
    {
        NostrEvent e = EventParser.Parse(Json());
        Assert.Equal(Id, e.Id);
        Assert.Equal(Pub, e.PubKey);
        Assert.Equal(1700000000, e.CreatedAt);
        Assert.Equal(39230, e.Kind);
        Assert.Equal("my-id", e.DTag);
        Assert.Equal("hi", e.Content);
        Assert.Equal(Sig, e.Sig);
    }

    [Fact]
    public void Field_order_does_not_matter_and_unknown_fields_are_ignored()
    {
        string json = $"{{\"sig\":\"{Sig}\",\"content\":\"hi\",\"extra\":{{\"a\":[1,2]}},\"tags\":[],\"kind\":1,\"created_at\":0,\"pubkey\":\"{Pub}\",\"id\":\"{Id}\"}}";
        NostrEvent e = EventParser.Parse(json);
        Assert.Equal(0, e.CreatedAt);
        Assert.Empty(e.Tags);
    }

    [Fact]
    public void Round_trips_what_the_canonical_writer_produces()
    {
        var original = new NostrEvent(Id, Pub, 1700000000, 39230, Nip01Vectors.EscapesTags, Nip01Vectors.EscapesContent, Sig);
        Assert.Equal(original, EventParser.Parse(CanonicalJson.SerializeToUtf8(original)));
    }

    [Theory]
    [InlineData("id")]
    [InlineData("pubkey")]
    [InlineData("created_at")]
    [InlineData("kind")]
    [InlineData("tags")]
    [InlineData("content")]
    [InlineData("sig")]
    public void Rejects_event_missing_a_field(string field)
    {
        string full = Json();
        var parsed = System.Text.Json.Nodes.JsonNode.Parse(full)!.AsObject();
        parsed.Remove(field);
        EventFormatException ex = Rejects(parsed.ToJsonString());
        Assert.Equal(field, ex.Field);
        Assert.Contains("missing", ex.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("id")]
    [InlineData("kind")]
    [InlineData("content")]
    [InlineData("sig")]
    public void Rejects_duplicate_keys(string field)
    {
        string dup = field switch
        {
            "id" => $",\"id\":\"{Id}\"",
            "kind" => ",\"kind\":1",
            "content" => ",\"content\":\"other\"",
            _ => $",\"sig\":\"{Sig}\"",
        };
        EventFormatException ex = Rejects(Json(extra: dup));
        Assert.Equal(field, ex.Field);
        Assert.Contains("more than once", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_duplicate_unknown_keys()
    {
        EventFormatException ex = Rejects(Json(extra: ",\"x\":1,\"x\":2"));
        Assert.Equal("x", ex.Field);
    }

    [Fact]
    public void Rejects_duplicate_key_spelled_with_an_escape()
    {
        EventFormatException ex = Rejects(Json(extra: ",\"\\u0069d\":\"" + Id + "\""));
        Assert.Equal("id", ex.Field);
    }

    [Theory]
    [InlineData("\"B95ECB90839ED990C80137E9C2476FCD6004679389B19098F99D84F99E2FCE4F\"", "upper-case")]
    [InlineData("\"b95ecb90\"", "64")]
    [InlineData("\"zz5ecb90839ed990c80137e9c2476fcd6004679389b19098f99d84f99e2fce4f\"", "not hex")]
    [InlineData("42", "string")]
    [InlineData("null", "string")]
    public void Rejects_id_that_is_not_64_lower_case_hex(string id, string why)
    {
        EventFormatException ex = Rejects(Json(id: id));
        Assert.Equal("id", ex.Field);
        Assert.Contains(why, ex.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"F9308A019258C31049344F85F89D5229B531C845836F99B08601F113BCE036F9\"")]
    [InlineData("\"f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f\"")]
    [InlineData("[]")]
    public void Rejects_pubkey_that_is_not_64_lower_case_hex(string pubkey)
    {
        Assert.Equal("pubkey", Rejects(Json(pubkey: pubkey)).Field);
    }

    [Theory]
    [InlineData(64)]
    [InlineData(127)]
    [InlineData(130)]
    public void Rejects_sig_that_is_not_128_lower_case_hex(int length)
    {
        EventFormatException ex = Rejects(Json(sig: "\"" + new string('a', length) + "\""));
        Assert.Equal("sig", ex.Field);
        Assert.Contains("128", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_upper_case_sig()
    {
        Assert.Equal("sig", Rejects(Json(sig: "\"" + new string('A', 128) + "\"")).Field);
    }

    [Theory]
    [InlineData("1757686505.567", "fraction or exponent")]
    [InlineData("1.0", "fraction or exponent")]
    [InlineData("1e9", "fraction or exponent")]
    [InlineData("1E9", "fraction or exponent")]
    [InlineData("-1", "negative")]
    [InlineData("\"1700000000\"", "integer")]
    [InlineData("99999999999999999999", "at most")]
    [InlineData("true", "integer")]
    public void Rejects_created_at_that_is_not_a_non_negative_integer(string value, string why)
    {
        EventFormatException ex = Rejects(Json(createdAt: value));
        Assert.Equal("created_at", ex.Field);
        Assert.Contains(why, ex.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("65536", "at most 65535")]
    [InlineData("-1", "negative")]
    [InlineData("1.5", "fraction or exponent")]
    [InlineData("1e3", "fraction or exponent")]
    [InlineData("\"1\"", "integer")]
    public void Rejects_kind_outside_0_to_65535_or_not_an_integer(string value, string why)
    {
        EventFormatException ex = Rejects(Json(kind: value));
        Assert.Equal("kind", ex.Field);
        Assert.Contains(why, ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Accepts_kind_bounds()
    {
        Assert.Equal(0, EventParser.Parse(Json(kind: "0")).Kind);
        Assert.Equal(65535, EventParser.Parse(Json(kind: "65535")).Kind);
    }

    [Theory]
    [InlineData("{}", "tags", "array")]
    [InlineData("\"d\"", "tags", "array")]
    [InlineData("[\"d\"]", "tags[0]", "array of strings")]
    [InlineData("[[\"d\",\"x\"],[]]", "tags[1]", "empty")]
    [InlineData("[[\"d\",\"x\"],[\"e\",1]]", "tags[1][1]", "string")]
    [InlineData("[[\"d\",null]]", "tags[0][1]", "string")]
    [InlineData("[[\"d\",[\"x\"]]]", "tags[0][1]", "string")]
    [InlineData("[[\"a\"],[\"b\"],[\"c\"],[\"t\",\"ok\",{}]]", "tags[3][2]", "string")]
    public void Rejects_tags_that_are_not_arrays_of_non_empty_string_arrays(string tags, string field, string why)
    {
        EventFormatException ex = Rejects(Json(tags: tags));
        Assert.Equal(field, ex.Field);
        Assert.Contains(why, ex.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("[\"hi\"]")]
    public void Rejects_content_that_is_not_a_string(string content)
    {
        Assert.Equal("content", Rejects(Json(content: content)).Field);
    }

    [Theory]
    [InlineData("\"\\ud800\"", "content")]
    [InlineData("\"a\\udc00b\"", "content")]
    [InlineData("\"\\ude00\\ud83d\"", "content")]
    public void Rejects_escaped_lone_surrogates_in_content(string content, string field)
    {
        EventFormatException ex = Rejects(Json(content: content));
        Assert.Equal(field, ex.Field);
        Assert.Contains("surrogate", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_escaped_lone_surrogate_in_a_tag()
    {
        Assert.Equal("tags[0][1]", Rejects(Json(tags: "[[\"d\",\"\\udbff\"]]")).Field);
    }

    [Fact]
    public void Accepts_an_escaped_surrogate_pair()
    {
        Assert.Equal("\U0001F600", EventParser.Parse(Json(content: "\"\\ud83d\\ude00\"")).Content);
    }

    [Fact]
    public void Rejects_raw_lone_surrogate_in_a_string_input()
    {
        var ex = Assert.Throws<EventFormatException>(() => EventParser.Parse(Json(content: "\"\ud800\"")));
        Assert.Equal("json", ex.Field);
    }

    [Theory]
    [InlineData("[1]", "object")]
    [InlineData("", "empty")]
    [InlineData("{\"id\":", "JSON")]

    public void Rejects_input_that_is_not_one_json_object(string json, string why)
    {
        EventFormatException ex = Rejects(json);
        Assert.Equal("json", ex.Field);
        Assert.Contains(why, ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_second_object_after_the_event()
    {
        Assert.Equal("json", Rejects(Json() + " " + Json()).Field);
    }

    [Fact]
    public void Rejects_trailing_garbage_after_the_object()
    {
        Assert.Equal("json", Rejects(Json() + "x").Field);
    }

    [Fact]
    public void Rejects_trailing_commas()
    {
        Assert.Equal("json", Rejects(Json(tags: "[[\"d\",\"x\",]]")).Field);
    }

    [Fact]
    public void Reader_overload_stops_on_the_matching_end_object()
    {
        byte[] message = System.Text.Encoding.UTF8.GetBytes("[\"EVENT\",\"sub\"," + Json() + ",\"after\"]");
        var reader = new System.Text.Json.Utf8JsonReader(message);
        reader.Read();
        reader.Read();
        reader.Read();
        reader.Read();
        NostrEvent e = EventParser.Parse(ref reader);
        Assert.Equal(Id, e.Id);
        Assert.Equal(System.Text.Json.JsonTokenType.EndObject, reader.TokenType);
        reader.Read();
        Assert.Equal("after", reader.GetString());
    }

    [Fact]
    public void Try_parse_reports_the_error_instead_of_throwing()
    {
        Assert.False(EventParser.TryParse(System.Text.Encoding.UTF8.GetBytes(Json(kind: "70000")), out NostrEvent? ev, out EventFormatException? error));
        Assert.Null(ev);
        Assert.Equal("kind", error!.Field);
        Assert.True(EventParser.TryParse(System.Text.Encoding.UTF8.GetBytes(Json()), out ev, out error));
        Assert.Null(error);
        Assert.Equal(Id, ev!.Id);
    }
}
