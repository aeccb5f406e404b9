using System.Runtime.CompilerServices;
using System.Text.Json;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Filters;

namespace SovereignTrajectories.Nostr.Tests.Filters;

public sealed class FilterCrossCheckTests
{
    private static string VectorPath([CallerFilePath] string caller = "") =>
        Path.Combine(Path.GetDirectoryName(caller)!, "Vectors", "filter-matches-nostr-tools.json");

    [Fact]
    public void Matches_exactly_where_nostr_tools_matches()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(VectorPath()));
        NostrEvent[] events = doc.RootElement.GetProperty("events").EnumerateArray()
            .Select(e => EventParser.Parse(e.GetRawText()))
            .ToArray();
        int cases = 0;
        foreach (JsonElement c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            string filterJson = c.GetProperty("filter").GetRawText();
            Filter f = Filter.Parse(filterJson);
            bool[] expected = c.GetProperty("matches").EnumerateArray().Select(m => m.GetBoolean()).ToArray();
            bool[] actual = events.Select(f.Matches).ToArray();
            Assert.True(expected.SequenceEqual(actual), $"filter {filterJson}: nostr-tools [{string.Join(",", expected)}], ours [{string.Join(",", actual)}]");
            Assert.Equal(expected, events.Select(Filter.Parse(f.ToJson()).Matches).ToArray());
            cases++;
        }

        Assert.True(cases >= 20, $"only {cases} cases read");
    }
}
