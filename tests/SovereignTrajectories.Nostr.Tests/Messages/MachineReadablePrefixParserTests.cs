using SovereignTrajectories.Nostr.Messages;

namespace SovereignTrajectories.Nostr.Tests.Messages;

public sealed class MachineReadablePrefixParserTests
{
    [Theory]
    [InlineData("duplicate: already have this event", MachineReadablePrefix.Duplicate, "already have this event")]
    [InlineData("pow: difficulty 25>=24", MachineReadablePrefix.Pow, "difficulty 25>=24")]
    [InlineData("blocked: you are banned from posting here", MachineReadablePrefix.Blocked, "you are banned from posting here")]
    [InlineData("rate-limited: slow down there chief", MachineReadablePrefix.RateLimited, "slow down there chief")]
    [InlineData("invalid: event creation date is too far off", MachineReadablePrefix.Invalid, "event creation date is too far off")]
    [InlineData("restricted: not allowed to write", MachineReadablePrefix.Restricted, "not allowed to write")]
    [InlineData("mute: no one was listening", MachineReadablePrefix.Mute, "no one was listening")]
    [InlineData("error: could not connect to the database: timeout", MachineReadablePrefix.Error, "could not connect to the database: timeout")]
    [InlineData("auth-required: we only accept events from registered users", MachineReadablePrefix.AuthRequired, "we only accept events from registered users")]
    [InlineData("blocked:no space", MachineReadablePrefix.Blocked, "no space")]
    [InlineData("Blocked: case", MachineReadablePrefix.Blocked, "case")]
    [InlineData("duplicate:", MachineReadablePrefix.Duplicate, "")]
    public void Recognises_every_NIP01_prefix(string message, MachineReadablePrefix prefix, string rest)
    {
        Assert.Equal((prefix, rest), MachineReadablePrefixParser.Parse(message));
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("all good", "all good")]
    [InlineData("see https://relay.example/terms", "see https://relay.example/terms")]
    [InlineData("note this: two words before the colon", "note this: two words before the colon")]
    [InlineData(": starts with a colon", ": starts with a colon")]
    [InlineData("https://relay.example/terms", "https://relay.example/terms")]
    public void Message_without_a_prefix_is_None_and_kept_whole(string message, string rest)
    {
        Assert.Equal((MachineReadablePrefix.None, rest), MachineReadablePrefixParser.Parse(message));
    }

    [Theory]
    [InlineData("payment-required: pay first", "pay first")]
    [InlineData("custom:", "")]
    public void Other_word_prefixes_are_Unknown(string message, string rest)
    {
        Assert.Equal((MachineReadablePrefix.Unknown, rest), MachineReadablePrefixParser.Parse(message));
    }

    [Fact]
    public void Every_known_prefix_round_trips_through_its_wire_form()
    {
        foreach (MachineReadablePrefix p in Enum.GetValues<MachineReadablePrefix>())
        {
            string? wire = MachineReadablePrefixParser.ToWire(p);
            if (p is MachineReadablePrefix.None or MachineReadablePrefix.Unknown)
            {
                Assert.Null(wire);
                continue;
            }

            Assert.Equal(p, MachineReadablePrefixParser.Parse(wire + ": x").Prefix);
        }
    }
}
