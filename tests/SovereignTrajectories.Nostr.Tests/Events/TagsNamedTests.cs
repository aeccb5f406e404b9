using SovereignTrajectories.Nostr.Events;

namespace SovereignTrajectories.Nostr.Tests.Events;

public sealed class TagsNamedTests
{
    private static readonly TagList Tags = new([
        new Tag("e", "id1", "", "root"),
        new Tag("p", "pk1"),
        new Tag("e", "id2", "", "reply"),
        new Tag("e", "id3"),
        new Tag("a", "39230:pk:sid", ""),
    ]);

    [Fact]
    public void Foreach_yields_the_tags_with_the_name_in_list_order()
    {
        var seen = new List<string?>();
        foreach (Tag t in Tags.All("e"))
        {
            seen.Add(t.Value);
        }

        Assert.Equal(["id1", "id2", "id3"], seen);
        Assert.Empty(Tags.All("x"));
        Assert.Empty(TagList.Empty.All("e"));
        Assert.Empty(default(TagsNamed));
    }

    [Fact]
    public void Linq_over_it_sees_the_same_tags()
    {
        Assert.Equal(["id1", "id2", "id3"], Tags.All("e").Select(t => t.Value));
        Assert.Equal(3, Tags.All("e").Count());
    }

    [Fact]
    public void FirstWith_finds_the_first_tag_whose_element_matches_and_skips_short_tags()
    {
        Assert.Equal("id2", Tags.All("e").FirstWith(3, "reply")?.Value);
        Assert.Equal("id1", Tags.All("e").FirstWith(3, "root")?.Value);
        Assert.Null(Tags.All("e").FirstWith(3, "mention"));
        Assert.Null(Tags.All("e").FirstWith(9, "reply"));
        Assert.Null(Tags.All("p").FirstWith(3, "reply"));
    }

    [Fact]
    public void ContainsValue_compares_the_first_value_only()
    {
        Assert.True(Tags.All("a").ContainsValue("39230:pk:sid"));
        Assert.True(Tags.All("e").ContainsValue("id3"));
        Assert.False(Tags.All("e").ContainsValue("root"));
        Assert.False(Tags.All("p").ContainsValue("id1"));
    }
}
