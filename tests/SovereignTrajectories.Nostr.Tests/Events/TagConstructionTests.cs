using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Text;
using SovereignTrajectories.Nostr.Events;

namespace SovereignTrajectories.Nostr.Tests.Events;

/// <summary>The parser's construction paths: they keep the array they are given and equal the checked constructors.</summary>
public sealed class TagConstructionTests
{
    [Fact]
    public void Tag_from_an_owned_array_keeps_that_array_and_equals_the_checked_constructor()
    {
        string[] values = ["e", new string('a', 64), "", "root"];
        Tag owned = Tag.FromOwnedArray(values);
        var built = new Tag((IEnumerable<string>)["e", new string('a', 64), "", "root"]);

        Assert.Same(values, ImmutableCollectionsMarshal.AsArray(owned.Values));
        Assert.Equal(built, owned);
        Assert.Equal(built.GetHashCode(), owned.GetHashCode());
        Assert.Equal("e", owned.Name);
        Assert.Equal(new string('a', 64), owned.Value);
        Assert.Equal(4, owned.Count);
    }

    [Fact]
    public void Public_constructors_still_copy_and_check()
    {
        string[] values = ["d", "x"];
        var tag = new Tag(values);
        values[1] = "changed";
        Assert.Equal("x", tag.Value);
        Assert.Throws<ArgumentException>(() => new Tag(Array.Empty<string>()));
        Assert.Throws<ArgumentException>(() => new Tag("d", null!));
    }

    [Fact]
    public void Tag_list_from_an_owned_array_keeps_that_array_and_an_empty_one_is_the_shared_empty_list()
    {
        Tag[] tags = [new Tag("d", "s:1"), new Tag("p", new string('b', 64))];
        TagList owned = TagList.FromOwnedArray(tags);
        Assert.Equal(new TagList([new Tag("d", "s:1"), new Tag("p", new string('b', 64))]), owned);
        Assert.Same(tags[1], owned.Find("p"));
        Assert.Same(TagList.Empty, TagList.FromOwnedArray([]));
    }

    [Fact]
    public void Parser_gathers_long_tags_and_long_tag_lists_past_its_stack_space()
    {
        // More than 16 tags, and tags of more than 16 elements: the gathering lists spill to the heap.
        var tags = new List<Tag>();
        for (int i = 0; i < 40; i++)
        {
            tags.Add(new Tag([.. Enumerable.Range(0, i % 3 == 0 ? 35 : 2).Select(j => j == 0 ? "t" : $"v{i}.{j}")]));
        }

        NostrEvent e = Signed(new TagList(tags));
        byte[] id = new byte[32];
        NostrEvent parsed = EventParser.Parse(Encoding.UTF8.GetBytes(CanonicalJson.Serialize(e)), id);
        Assert.Equal(e, parsed);
        Assert.Equal(e.Id, Convert.ToHexStringLower(id));
        Assert.All(parsed.Tags, t => Assert.Equal(t.Count, ImmutableCollectionsMarshal.AsArray(t.Values)!.Length));
    }

    [Fact]
    public void Event_without_tags_gets_the_shared_empty_list()
    {
        NostrEvent parsed = EventParser.Parse(Encoding.UTF8.GetBytes(CanonicalJson.Serialize(Signed(TagList.Empty))), new byte[32]);
        Assert.Same(TagList.Empty, parsed.Tags);
    }

    private static NostrEvent Signed(TagList tags)
    {
        string pubKey = Nip01Vectors.PubKey;
        return new NostrEvent(EventId.Compute(pubKey, 1700000000, 1, tags, "x"), pubKey, 1700000000, 1, tags, "x", new string('c', 128));
    }
}
