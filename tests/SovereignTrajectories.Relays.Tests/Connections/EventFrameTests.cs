using System.Text;
using SovereignTrajectories.Relays.Connections;

namespace SovereignTrajectories.Relays.Tests.Connections;

public sealed class EventFrameTests
{
    [Theory]
    [InlineData("[\"EVENT\",\"s\",{}]", true)]
    [InlineData(" [ \"EVENT\" ", true)]
    [InlineData("[\"EVENT\",\"s\",{\"a\":", true)]
    [InlineData("[\"EVENT\"]", true)]
    [InlineData("[\"OK\",", false)]
    [InlineData("[\"EOSE\",\"s\"", false)]
    [InlineData("[\"EOSE\",\"s\"]", false)]
    [InlineData("[\"OK\",\"a\",true,\"\"]", false)]
    [InlineData("[\"EVENTS\",\"s\",{}]", false)]
    [InlineData("{\"EVENT\":1}", false)]
    [InlineData("[1,\"EVENT\"]", false)]
    [InlineData("[\"EV", false)]
    [InlineData("not json", false)]
    [InlineData("", false)]
    public void IsEvent_looks_only_at_the_message_type(string frame, bool expected) =>
        Assert.Equal(expected, EventFrame.IsEvent(Encoding.UTF8.GetBytes(frame)));
}
