using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Messages;

namespace SovereignTrajectories.Nostr.Tests.Messages;

public sealed class RelayMessageParserTests
{
    private static readonly string Id = MessageSamples.Id;

    [Fact]
    public void Parses_an_event_frame()
    {
        NostrEvent e = MessageSamples.Event();
        string frame = "[\"EVENT\",\"sub-1\"," + CanonicalJson.Serialize(e) + "]";
        Assert.Equal(new RelayEventMessage("sub-1", e), RelayMessageParser.Parse(frame));
    }

    [Fact]
    public void Parses_from_utf8_bytes()
    {
        NostrEvent e = MessageSamples.Event();
        byte[] frame = System.Text.Encoding.UTF8.GetBytes("[\"EVENT\",\"s\"," + CanonicalJson.Serialize(e) + "]");
        Assert.Equal(new RelayEventMessage("s", e), RelayMessageParser.Parse(frame));
    }

    [Fact]
    public void An_event_that_fails_the_strict_parse_becomes_an_invalid_event_message()
    {
        string badEvent = CanonicalJson.Serialize(MessageSamples.Event()).Replace("\"kind\":39231", "\"kind\":\"39231\"", StringComparison.Ordinal);
        var m = Assert.IsType<RelayInvalidEventMessage>(RelayMessageParser.Parse("[\"EVENT\",\"sub-1\"," + badEvent + "]"));
        Assert.Equal("sub-1", m.SubscriptionId);
        Assert.Contains("kind", m.Reason);
    }

    [Fact]
    public void An_event_element_that_is_not_an_object_is_an_invalid_event()
    {
        var m = Assert.IsType<RelayInvalidEventMessage>(RelayMessageParser.Parse("[\"EVENT\",\"s\",null]"));
        Assert.Equal("s", m.SubscriptionId);
    }

    [Fact]
    public void An_event_with_broken_JSON_is_a_malformed_frame()
    {
        var e = Assert.Throws<RelayMessageFormatException>(() => RelayMessageParser.Parse("[\"EVENT\",\"s\",{\"id\":]"));
        Assert.Contains("not valid JSON", e.Message);
    }

    [Fact]
    public void Parses_OK_with_its_prefix()
    {
        var ok = Assert.IsType<OkMessage>(RelayMessageParser.Parse($"[\"OK\",\"{Id}\",false,\"rate-limited: slow down\"]"));
        Assert.Equal(new OkMessage(Id, false, MachineReadablePrefix.RateLimited, "rate-limited: slow down"), ok);
        Assert.False(ok.IsStored);
    }

    [Fact]
    public void Duplicate_counts_as_stored()
    {
        var ok = Assert.IsType<OkMessage>(RelayMessageParser.Parse($"[\"OK\",\"{Id}\",false,\"duplicate: have it\"]"));
        Assert.True(ok.IsStored);
    }

    [Fact]
    public void Accepts_an_OK_without_its_message()
    {
        Assert.Equal(new OkMessage(Id, true, MachineReadablePrefix.None, ""), RelayMessageParser.Parse($"[\"OK\",\"{Id}\",true]"));
    }

    [Fact]
    public void Parses_EOSE_CLOSED_NOTICE_AUTH_and_COUNT()
    {
        Assert.Equal(new EoseMessage("s"), RelayMessageParser.Parse("[\"EOSE\",\"s\"]"));
        Assert.Equal(new ClosedMessage("s", MachineReadablePrefix.AuthRequired, "auth-required: log in"), RelayMessageParser.Parse("[\"CLOSED\",\"s\",\"auth-required: log in\"]"));
        Assert.Equal(new NoticeMessage("hello"), RelayMessageParser.Parse("[\"NOTICE\",\"hello\"]"));
        Assert.Equal(new AuthChallengeMessage("chal"), RelayMessageParser.Parse("[\"AUTH\",\"chal\"]"));
        Assert.Equal(new CountMessage("s", 42, null), RelayMessageParser.Parse("[\"COUNT\",\"s\",{\"count\":42}]"));
        Assert.Equal(new CountMessage("s", 7, true), RelayMessageParser.Parse("[\"COUNT\",\"s\",{\"hll\":\"00\",\"count\":7,\"approximate\":true}]"));
    }

    [Fact]
    public void Ignores_extra_trailing_elements()
    {
        Assert.Equal(new EoseMessage("s"), RelayMessageParser.Parse("[\"EOSE\",\"s\",{\"extra\":[1,2]},3]"));
    }

    public static TheoryData<RelayMessage> Messages() => new()
    {
        new RelayEventMessage("sub \"1\"", MessageSamples.Event()),
        new OkMessage(new string('a', 64), true, MachineReadablePrefix.None, ""),
        new OkMessage(new string('a', 64), false, MachineReadablePrefix.Blocked, "blocked: no"),
        new EoseMessage("s"),
        new ClosedMessage("s", MachineReadablePrefix.Error, "error: boom"),
        new NoticeMessage("ünïcode ✓ \u0001"),
        new AuthChallengeMessage("challenge-123"),
        new CountMessage("s", 0, false),
        new CountMessage("s", long.MaxValue, null),
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void Every_relay_message_round_trips(RelayMessage message)
    {
        Assert.Equal(message, RelayMessageParser.Parse(message.ToJson()));
    }

    [Fact]
    public void Writing_a_prefix_missing_from_the_text_adds_it()
    {
        var ok = new OkMessage(new string('a', 64), false, MachineReadablePrefix.Invalid, "bad sig");
        Assert.EndsWith(",false,\"invalid: bad sig\"]", ok.ToJson());
    }

    [Theory]
    [InlineData("{\"type\":\"EVENT\"}", "frame is not a JSON array")]
    [InlineData("\"EOSE\"", "frame is not a JSON array")]
    [InlineData("", "not valid JSON")]
    [InlineData("[", "not valid JSON")]
    [InlineData("[]", "frame is an empty array")]
    [InlineData("[1,\"s\"]", "element 0 must be the message type as a string, found a number")]
    [InlineData("[\"FOO\",\"s\"]", "unknown message type 'FOO'")]
    [InlineData("[\"event\",\"s\",{}]", "unknown message type 'event'")]
    [InlineData("[\"EVENT\"]", "EVENT: missing element 1")]
    [InlineData("[\"EVENT\",1,{}]", "EVENT: element 1 must be a string, found a number")]
    [InlineData("[\"EVENT\",\"s\"]", "EVENT: missing element 2")]
    [InlineData("[\"OK\"]", "OK: missing element 1")]
    [InlineData("[\"OK\",\"abc\",true,\"\"]", "OK: element 1 must be a 64-character lower-case hex event id")]
    [InlineData("[\"OK\",\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\",true,\"\"]", "OK: element 1 must be a 64-character lower-case hex event id")]
    [InlineData("[\"OK\",\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"]", "OK: missing element 2")]
    [InlineData("[\"OK\",\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"true\",\"\"]", "OK: element 2 must be a boolean, found a string")]
    [InlineData("[\"OK\",\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",true,5]", "OK: element 3 must be a string, found a number")]
    [InlineData("[\"EOSE\"]", "EOSE: missing element 1")]
    [InlineData("[\"EOSE\",null]", "EOSE: element 1 must be a string, found null")]
    [InlineData("[\"CLOSED\"]", "CLOSED: missing element 1")]
    [InlineData("[\"CLOSED\",\"s\",false]", "CLOSED: element 2 must be a string, found a boolean")]
    [InlineData("[\"NOTICE\"]", "NOTICE: missing element 1")]
    [InlineData("[\"NOTICE\",{}]", "NOTICE: element 1 must be a string, found an object")]
    [InlineData("[\"AUTH\"]", "AUTH: missing element 1")]
    [InlineData("[\"AUTH\",[]]", "AUTH: element 1 must be a string, found an array")]
    [InlineData("[\"COUNT\",\"s\"]", "COUNT: missing element 2")]
    [InlineData("[\"COUNT\",\"s\",5]", "COUNT: element 2 must be an object, found a number")]
    [InlineData("[\"COUNT\",\"s\",{}]", "COUNT: element 2 has no 'count'")]
    [InlineData("[\"COUNT\",\"s\",{\"count\":-1}]", "COUNT: 'count' must be a non-negative whole number")]
    [InlineData("[\"COUNT\",\"s\",{\"count\":1.5}]", "COUNT: 'count' must be a non-negative whole number")]
    [InlineData("[\"COUNT\",\"s\",{\"count\":1,\"approximate\":\"yes\"}]", "COUNT: 'approximate' must be a boolean")]
    [InlineData("[\"EOSE\",\"s\"] x", "not valid JSON")]
    [InlineData("[\"EOSE\",\"s\"][]", "not valid JSON")]
    public void Rejects_malformed_frames_saying_what_is_wrong(string frame, string reason)
    {
        var e = Assert.Throws<RelayMessageFormatException>(() => RelayMessageParser.Parse(frame));
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void Unknown_type_names_are_shortened_in_errors()
    {
        var e = Assert.Throws<RelayMessageFormatException>(() => RelayMessageParser.Parse("[\"" + new string('X', 500) + "\"]"));
        Assert.True(e.Message.Length < 100, e.Message);
    }

    [Fact]
    public void Invalid_event_message_cannot_be_rewritten()
    {
        Assert.Throws<InvalidOperationException>(() => new RelayInvalidEventMessage("s", "bad").ToJson());
    }
}
