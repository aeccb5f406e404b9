using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Filters;

namespace SovereignTrajectories.Nostr.Tests.Filters;

public sealed class FilterTests
{
    private static readonly string Id = new('a', 64);
    private static readonly string OtherId = new('b', 64);
    private static readonly string Author = new('c', 64);
    private static readonly string OtherAuthor = new('d', 64);
    private static readonly string Ref = new('e', 64);

    private static NostrEvent Event(long createdAt = 1000, int kind = 39231, params Tag[] tags) =>
        new(Id, Author, createdAt, kind, new TagList(tags), "content", new string('f', 128));

    private static readonly NostrEvent Step = Event(
        1000,
        39231,
        new Tag("d", "run-1:0001"),
        new Tag("e", Ref, "", "root"),
        new Tag("t", "tool"),
        new Tag("t", "llm"));

    [Fact]
    public void Empty_filter_matches_everything()
    {
        Assert.True(new Filter().Matches(Step));
    }

    [Fact]
    public void Ids_match_only_listed_ids()
    {
        Assert.True(new Filter { Ids = [OtherId, Id] }.Matches(Step));
        Assert.False(new Filter { Ids = [OtherId] }.Matches(Step));
        Assert.False(new Filter { Ids = [] }.Matches(Step));
    }

    [Fact]
    public void Authors_match_only_listed_pubkeys()
    {
        Assert.True(new Filter { Authors = [Author] }.Matches(Step));
        Assert.False(new Filter { Authors = [OtherAuthor] }.Matches(Step));
    }

    [Fact]
    public void Kinds_match_only_listed_kinds()
    {
        Assert.True(new Filter { Kinds = [39230, 39231] }.Matches(Step));
        Assert.False(new Filter { Kinds = [39230] }.Matches(Step));
    }

    [Fact]
    public void Since_and_until_are_inclusive()
    {
        Assert.True(new Filter { Since = 1000, Until = 1000 }.Matches(Step));
        Assert.False(new Filter { Since = 1001 }.Matches(Step));
        Assert.False(new Filter { Until = 999 }.Matches(Step));
    }

    [Fact]
    public void Tag_filter_matches_when_any_tag_of_that_name_has_its_first_value_listed()
    {
        Assert.True(new Filter { Tags = new Dictionary<char, IReadOnlyList<string>> { ['t'] = ["llm"] } }.Matches(Step));
        Assert.True(new Filter { Tags = new Dictionary<char, IReadOnlyList<string>> { ['e'] = [Ref] } }.Matches(Step));
        Assert.False(new Filter { Tags = new Dictionary<char, IReadOnlyList<string>> { ['t'] = ["other"] } }.Matches(Step));
    }

    [Fact]
    public void Tag_filter_looks_only_at_the_first_value()
    {
        // "root" is the e tag's third element: NIP-01 indexes only the first value.
        Assert.False(new Filter { Tags = new Dictionary<char, IReadOnlyList<string>> { ['e'] = ["root"] } }.Matches(Step));
    }

    [Fact]
    public void Tag_filter_fails_when_the_event_lacks_the_tag()
    {
        Assert.False(new Filter { Tags = new Dictionary<char, IReadOnlyList<string>> { ['p'] = [Author] } }.Matches(Step));
    }

    [Fact]
    public void Every_tag_key_must_match()
    {
        var both = new Dictionary<char, IReadOnlyList<string>> { ['t'] = ["tool"], ['d'] = ["run-1:0001"] };
        var oneWrong = new Dictionary<char, IReadOnlyList<string>> { ['t'] = ["tool"], ['d'] = ["run-2:0001"] };
        Assert.True(new Filter { Tags = both }.Matches(Step));
        Assert.False(new Filter { Tags = oneWrong }.Matches(Step));
    }

    [Fact]
    public void Tag_names_are_case_sensitive()
    {
        Assert.False(new Filter { Tags = new Dictionary<char, IReadOnlyList<string>> { ['T'] = ["llm"] } }.Matches(Step));
    }

    [Fact]
    public void Limit_and_search_do_not_affect_matching()
    {
        Assert.True(new Filter { Limit = 0, Search = "nothing like it" }.Matches(Step));
    }

    [Fact]
    public void All_conditions_must_hold_together()
    {
        var f = new Filter { Authors = [Author], Kinds = [39231], Since = 1001 };
        Assert.False(f.Matches(Step));
        Assert.True((f with { Since = 900 }).Matches(Step));
    }

    [Fact]
    public void MatchesAny_is_the_union_of_filters()
    {
        Filter none = new() { Kinds = [1] };
        Filter some = new() { Authors = [Author] };
        Assert.True(Filter.MatchesAny([none, some], Step));
        Assert.False(Filter.MatchesAny([none], Step));
        Assert.False(Filter.MatchesAny([], Step));
    }
}
