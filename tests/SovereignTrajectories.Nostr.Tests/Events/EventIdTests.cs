using SovereignTrajectories.Nostr.Events;

namespace SovereignTrajectories.Nostr.Tests.Events;

public sealed class EventIdTests
{
    [Fact]
    public void Id_of_simple_event_matches_the_cross_checked_vector()
    {
        Assert.Equal(Nip01Vectors.SimpleId, EventId.Compute(Nip01Vectors.PubKey, 1700000000, 39230, Nip01Vectors.SimpleTags, "hi"));
    }

    [Fact]
    public void Id_of_event_with_every_escape_class_matches_the_cross_checked_vector()
    {
        Assert.Equal(Nip01Vectors.EscapesId, EventId.Compute(Nip01Vectors.PubKey, 1700000000, 39230, Nip01Vectors.EscapesTags, Nip01Vectors.EscapesContent));
    }

    [Fact]
    public void Span_overload_writes_the_same_id_as_hex_overload()
    {
        byte[] id = new byte[32];
        EventId.Compute(Nip01Vectors.PubKey, 1700000000, 39230, Nip01Vectors.SimpleTags, "hi", id);
        Assert.Equal(Nip01Vectors.SimpleId, Convert.ToHexStringLower(id));
    }

    [Fact]
    public void Id_of_large_content_is_stable_across_buffer_growth()
    {
        string big = string.Concat(Enumerable.Repeat("😀\n\"x\"", 40_000));
        string a = EventId.Compute(Nip01Vectors.PubKey, 1, 1, TagList.Empty, big);
        string b = EventId.Compute(Nip01Vectors.PubKey, 1, 1, TagList.Empty, big);
        Assert.Equal(a, b);
        Assert.NotEqual(a, EventId.Compute(Nip01Vectors.PubKey, 1, 1, TagList.Empty, big + " "));
    }

    [Fact]
    public void Destination_of_wrong_length_is_rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => EventId.Compute(Nip01Vectors.PubKey, 1, 1, TagList.Empty, "", new byte[31]));
        Assert.Equal("destination32", ex.ParamName);
    }
}
