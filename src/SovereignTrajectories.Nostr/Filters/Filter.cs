using SovereignTrajectories.Nostr.Events;

namespace SovereignTrajectories.Nostr.Filters;

/// <summary>
/// A NIP-01 subscription filter. Null fields do not constrain; an empty list matches nothing.
/// <see cref="Tags"/> maps a single-letter tag name to the values its <c>#x</c> key lists.
/// </summary>
public sealed partial record Filter
{
    public IReadOnlyList<string>? Ids { get; init; }

    public IReadOnlyList<string>? Authors { get; init; }

    public IReadOnlyList<int>? Kinds { get; init; }

    public IReadOnlyDictionary<char, IReadOnlyList<string>>? Tags { get; init; }

    /// <summary>Inclusive lower bound on <c>created_at</c>.</summary>
    public long? Since { get; init; }

    /// <summary>Inclusive upper bound on <c>created_at</c>.</summary>
    public long? Until { get; init; }

    /// <summary>How many events the relay should return at first; never affects matching.</summary>
    public int? Limit { get; init; }

    /// <summary>NIP-50 full-text query. Relays interpret it; <see cref="Matches"/> ignores it.</summary>
    public string? Search { get; init; }

    /// <summary>
    /// NIP-01 matching: every present condition must hold. A tag condition holds when any tag
    /// with that single-letter name has its first value in the list.
    /// </summary>
    public bool Matches(NostrEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (Ids is not null && !Contains(Ids, e.Id))
        {
            return false;
        }

        if (Authors is not null && !Contains(Authors, e.PubKey))
        {
            return false;
        }

        if (Kinds is not null && !Kinds.Contains(e.Kind))
        {
            return false;
        }

        if (Since is long since && e.CreatedAt < since)
        {
            return false;
        }

        if (Until is long until && e.CreatedAt > until)
        {
            return false;
        }

        if (Tags is not null)
        {
            foreach ((char name, IReadOnlyList<string> values) in Tags)
            {
                if (!AnyTagMatches(e.Tags, name, values))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>True when at least one filter matches: how a REQ with several filters behaves.</summary>
    public static bool MatchesAny(IEnumerable<Filter> filters, NostrEvent e)
    {
        ArgumentNullException.ThrowIfNull(filters);
        foreach (Filter f in filters)
        {
            if (f.Matches(e))
            {
                return true;
            }
        }

        return false;
    }

    public bool Equals(Filter? other) =>
        other is not null
        && SameList(Ids, other.Ids)
        && SameList(Authors, other.Authors)
        && SameKinds(Kinds, other.Kinds)
        && SameTags(Tags, other.Tags)
        && Since == other.Since
        && Until == other.Until
        && Limit == other.Limit
        && Search == other.Search;

    public override int GetHashCode() =>
        HashCode.Combine(Ids?.Count, Authors?.Count, Kinds?.Count, Tags?.Count, Since, Until, Limit, Search);

    private static bool AnyTagMatches(TagList tags, char name, IReadOnlyList<string> values)
    {
        foreach (Tag t in tags)
        {
            if (t.Count > 1 && t.Name.Length == 1 && t.Name[0] == name && Contains(values, t[1]))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Contains(IReadOnlyList<string> list, string value)
    {
        for (int i = 0; i < list.Count; i++)
        {
            if (string.Equals(list[i], value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool SameList(IReadOnlyList<string>? a, IReadOnlyList<string>? b) =>
        a is null ? b is null : b is not null && a.SequenceEqual(b, StringComparer.Ordinal);

    private static bool SameKinds(IReadOnlyList<int>? a, IReadOnlyList<int>? b) =>
        a is null ? b is null : b is not null && a.SequenceEqual(b);

    private static bool SameTags(IReadOnlyDictionary<char, IReadOnlyList<string>>? a, IReadOnlyDictionary<char, IReadOnlyList<string>>? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        if (a.Count != b.Count)
        {
            return false;
        }

        foreach ((char k, IReadOnlyList<string> v) in a)
        {
            if (!b.TryGetValue(k, out IReadOnlyList<string>? w) || !SameList(v, w))
            {
                return false;
            }
        }

        return true;
    }
}
