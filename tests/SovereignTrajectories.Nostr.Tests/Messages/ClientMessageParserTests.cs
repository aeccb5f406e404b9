using SovereignTrajectories.Nostr.Filters;
using SovereignTrajectories.Nostr.Messages;

namespace SovereignTrajectories.Nostr.Tests.Messages;

public sealed class ClientMessageParserTests
{
    public static TheoryData<ClientMessage> Messages() => new()
    {
        new ClientEventMessage(MessageSamples.Event()),
        new ClientAuthMessage(MessageSamples.Event(string.Empty)),
        new ReqMessage("sub-1", [new Filter { Kinds = [39230], Tags = new Dictionary<char, IReadOnlyList<string>> { ['d'] = ["run-1"] } }, new Filter { Limit = 1 }]),
        new CountRequestMessage("c", [new Filter()]),
        new CloseMessage("sub \"quoted\""),
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void Every_client_message_round_trips(ClientMessage message)
    {
        Assert.Equal(message, ClientMessageParser.Parse(message.ToJson()));
        Assert.Equal(message, ClientMessageParser.Parse(message.ToUtf8()));
    }

    [Theory]
    [InlineData("{}", "frame is not a JSON array")]
    [InlineData("[]", "frame is an empty array")]
    [InlineData("[5]", "element 0 must be the message type as a string")]
    [InlineData("[\"PUBLISH\",{}]", "unknown message type 'PUBLISH'")]
    [InlineData("[\"EVENT\"]", "EVENT: missing element 1")]
    [InlineData("[\"EVENT\",{\"id\":\"x\"}]", "EVENT: invalid:")]
    [InlineData("[\"AUTH\",\"challenge\"]", "AUTH: invalid:")]
    [InlineData("[\"REQ\",\"s\"]", "REQ: needs at least one filter")]
    [InlineData("[\"REQ\",\"\",{}]", "REQ: subscription id must be 1-64 characters, got 0")]
    [InlineData("[\"REQ\",1,{}]", "REQ: element 1 must be a subscription id string")]
    [InlineData("[\"REQ\",\"s\",{},{\"kinds\":\"1\"}]", "REQ: filter 1: filter field 'kinds'")]
    [InlineData("[\"COUNT\",\"s\",[]]", "COUNT: filter 0: filter field 'json'")]
    [InlineData("[\"CLOSE\"]", "CLOSE: missing element 1")]
    [InlineData("[\"CLOSE\",\"s\",\"t\"]", "CLOSE: has more than 2 elements")]
    [InlineData("[\"CLOSE\",\"s\"", "frame is not valid JSON")]
    [InlineData("[\"CLOSE\",\"s\"] []", "frame is not valid JSON")]
    public void Rejects_malformed_client_frames_saying_what_is_wrong(string frame, string reason)
    {
        var e = Assert.Throws<ClientMessageFormatException>(() => ClientMessageParser.Parse(frame));
        Assert.Contains(reason, e.Message);
    }
}
