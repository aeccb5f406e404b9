using SovereignTrajectories.Nostr.Filters;

namespace SovereignTrajectories.Nostr.Tests.Filters;

public sealed class FilterJsonTests
{
    private static readonly string A = new('a', 64);

    [Fact]
    public void Writes_fields_in_a_stable_order_with_tag_keys_sorted()
    {
        var f = new Filter
        {
            Search = "x",
            Limit = 10,
            Until = 20,
            Since = 5,
            Tags = new Dictionary<char, IReadOnlyList<string>> { ['t'] = ["b"], ['d'] = ["a"] },
            Kinds = [39230],
            Authors = [A],
            Ids = [A],
        };

        Assert.Equal(
            $"{{\"ids\":[\"{A}\"],\"authors\":[\"{A}\"],\"kinds\":[39230],\"#d\":[\"a\"],\"#t\":[\"b\"],\"since\":5,\"until\":20,\"limit\":10,\"search\":\"x\"}}",
            f.ToJson());
    }

    [Fact]
    public void Empty_filter_is_an_empty_object()
    {
        Assert.Equal("{}", new Filter().ToJson());
    }

    public static TheoryData<Filter> Filters() => new()
    {
        new Filter(),
        new Filter { Ids = [] },
        new Filter { Kinds = [0, 65535], Limit = 0 },
        new Filter { Tags = new Dictionary<char, IReadOnlyList<string>> { ['a'] = ["39230:" + A + ":run"], ['e'] = [A] } },
        new Filter { Authors = [A], Since = 0, Until = long.MaxValue, Search = "héllo \"q\" ✓" },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public void Round_trips_through_json(Filter f)
    {
        Assert.Equal(f, Filter.Parse(f.ToJson()));
    }

    [Fact]
    public void Ignores_unknown_keys()
    {
        Assert.Equal(new Filter { Kinds = [1] }, Filter.Parse("{\"kinds\":[1],\"x-extension\":{\"a\":[1,2]}}"));
    }

    [Theory]
    [InlineData("[]", "json", "must be a JSON object")]
    [InlineData("{\"kinds\":[1],}", "json", "is not valid JSON")]
    [InlineData("{\"kinds\":1}", "kinds", "must be an array of integers")]
    [InlineData("{\"kinds\":[1,\"2\"]}", "kinds", "element 1 must be an integer 0-65535")]
    [InlineData("{\"kinds\":[70000]}", "kinds", "element 0 must be an integer 0-65535")]
    [InlineData("{\"kinds\":[1.5]}", "kinds", "element 0 must be an integer 0-65535")]
    [InlineData("{\"ids\":[\"abc\"]}", "ids", "element 0 must be 64 lower-case hex characters")]
    [InlineData("{\"authors\":[1]}", "authors", "element 0 must be a string")]
    [InlineData("{\"#p\":[\"npub1xyz\"]}", "#p", "element 0 must be 64 lower-case hex characters")]
    [InlineData("{\"#tt\":[\"x\"]}", "#tt", "tag keys must be '#' followed by one letter")]
    [InlineData("{\"#1\":[\"x\"]}", "#1", "tag keys must be '#' followed by one letter")]
    [InlineData("{\"since\":\"yesterday\"}", "since", "must be a whole number")]
    [InlineData("{\"until\":1.5}", "until", "must be a whole number")]
    [InlineData("{\"limit\":-1}", "limit", "must be between 0 and")]
    [InlineData("{\"search\":5}", "search", "must be a string")]
    [InlineData("{\"kinds\":[1],\"kinds\":[2]}", "kinds", "appears twice")]
    [InlineData("{\"kinds\":[1]} {}", "json", "is not valid JSON")]
    [InlineData("", "json", "")]
    public void Rejects_malformed_filters_naming_the_field(string json, string field, string reason)
    {
        var e = Assert.Throws<FilterFormatException>(() => Filter.Parse(json));
        Assert.Equal(field, e.Field);
        Assert.Contains(reason, e.Message);
        Assert.Contains($"'{field}'", e.Message);
    }

    [Fact]
    public void Parses_tag_filters_into_the_tag_map()
    {
        Filter f = Filter.Parse("{\"#d\":[\"run-1\",\"run-2\"],\"#t\":[]}");
        Assert.Equal(["run-1", "run-2"], f.Tags!['d']);
        Assert.Empty(f.Tags['t']);
    }
}
