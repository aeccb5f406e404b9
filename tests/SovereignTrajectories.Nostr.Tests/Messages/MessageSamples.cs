using SovereignTrajectories.Nostr.Events;

namespace SovereignTrajectories.Nostr.Tests.Messages;

/// <summary>Well-formed events for frame tests; signatures are not checked by the parsers under test.</summary>
internal static class MessageSamples
{
    public static readonly string Id = new('a', 64);

    public static NostrEvent Event(string content = "hi \"there\"\n✓ 😀") =>
        new(Id, new string('b', 64), 1700000000, 39231, new TagList([new Tag("d", "run-1:0001"), new Tag("t", "tool")]), content, new string('c', 128));
}
