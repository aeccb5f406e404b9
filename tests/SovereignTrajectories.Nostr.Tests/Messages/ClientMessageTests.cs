using System.Buffers;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Filters;
using SovereignTrajectories.Nostr.Messages;

namespace SovereignTrajectories.Nostr.Tests.Messages;

public sealed class ClientMessageTests
{
    [Fact]
    public void Event_message_carries_the_canonical_event_bytes()
    {
        NostrEvent e = MessageSamples.Event();
        string expected = "[\"EVENT\"," + CanonicalJson.Serialize(e) + "]";
        Assert.Equal(expected, new ClientEventMessage(e).ToJson());

        var buffer = new ArrayBufferWriter<byte>();
        ClientEventMessage.Write(buffer, e);
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(expected), buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Event_in_the_message_parses_back_to_the_same_event()
    {
        NostrEvent e = MessageSamples.Event();
        string json = new ClientEventMessage(e).ToJson();
        string inner = json["[\"EVENT\",".Length..^1];
        Assert.Equal(e, EventParser.Parse(inner));
    }

    [Fact]
    public void Auth_message_wraps_the_event_under_AUTH()
    {
        NostrEvent e = MessageSamples.Event();
        Assert.Equal("[\"AUTH\"," + CanonicalJson.Serialize(e) + "]", new ClientAuthMessage(e).ToJson());
    }

    [Fact]
    public void Req_message_lists_the_subscription_and_each_filter()
    {
        var req = new ReqMessage("sub-1", [new Filter { Kinds = [39230] }, new Filter { Limit = 5 }]);
        Assert.Equal("[\"REQ\",\"sub-1\",{\"kinds\":[39230]},{\"limit\":5}]", req.ToJson());
    }

    [Fact]
    public void Count_message_has_the_shape_of_a_req()
    {
        var count = new CountRequestMessage("c", [new Filter { Authors = [new string('a', 64)] }]);
        Assert.Equal($"[\"COUNT\",\"c\",{{\"authors\":[\"{new string('a', 64)}\"]}}]", count.ToJson());
    }

    [Fact]
    public void Close_message_names_the_subscription()
    {
        Assert.Equal("[\"CLOSE\",\"sub-1\"]", new CloseMessage("sub-1").ToJson());
    }

    [Theory]
    [InlineData("")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123456789")]
    public void Rejects_subscription_ids_outside_1_to_64_characters(string id)
    {
        var e = Assert.Throws<ArgumentException>(() => new CloseMessage(id));
        Assert.Contains("subscription id must be 1-64 characters", e.Message);
        Assert.Throws<ArgumentException>(() => new ReqMessage(id, [new Filter()]));
    }

    [Fact]
    public void Rejects_a_req_without_filters()
    {
        var e = Assert.Throws<ArgumentException>(() => new ReqMessage("s", []));
        Assert.Contains("at least one filter", e.Message);
    }

    [Fact]
    public void Subscription_ids_with_quotes_are_escaped()
    {
        Assert.Equal("[\"CLOSE\",\"a\\\"b\"]", new CloseMessage("a\"b").ToJson());
    }
}
