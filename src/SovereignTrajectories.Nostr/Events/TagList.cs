using System.Collections;
using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace SovereignTrajectories.Nostr.Events;

/// <summary>An event's ordered tags, compared by value, with look-ups by tag name.</summary>
public sealed class TagList : IReadOnlyList<Tag>, IEquatable<TagList>
{
    private readonly ImmutableArray<Tag> _tags;

    public static TagList Empty { get; } = new(ImmutableArray<Tag>.Empty);

    public TagList(IEnumerable<Tag> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        _tags = tags.ToImmutableArray();
    }

    private TagList(ImmutableArray<Tag> tags) => _tags = tags;

    /// <summary>
    /// A list over <paramref name="tags"/> itself, which becomes the list's storage: the caller hands over
    /// an array nobody else holds. The public constructor boxes and copies it instead.
    /// </summary>
    internal static TagList FromOwnedArray(Tag[] tags) => tags.Length == 0 ? Empty : new(ImmutableCollectionsMarshal.AsImmutableArray(tags));

    public int Count => _tags.Length;

    public Tag this[int index] => _tags[index];

    /// <summary>The first tag named <paramref name="name"/>, or null.</summary>
    public Tag? Find(string name)
    {
        foreach (Tag t in _tags)
        {
            if (t.Name == name)
            {
                return t;
            }
        }

        return null;
    }

    /// <summary>The first value of the first tag named <paramref name="name"/>, or null.</summary>
    public string? FindValue(string name) => Find(name)?.Value;

    /// <summary>The tags named <paramref name="name"/>, in order; a <c>foreach</c> over them allocates nothing.</summary>
    public TagsNamed All(string name) => new(_tags, name);

    public ImmutableArray<Tag>.Enumerator GetEnumerator() => _tags.GetEnumerator();

    IEnumerator<Tag> IEnumerable<Tag>.GetEnumerator() => ((IEnumerable<Tag>)_tags).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable)_tags).GetEnumerator();

    public bool Equals(TagList? other) =>
        other is not null && (ReferenceEquals(this, other) || _tags.AsSpan().SequenceEqual(other._tags.AsSpan()));

    public override bool Equals(object? obj) => Equals(obj as TagList);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (Tag t in _tags)
        {
            hash.Add(t);
        }

        return hash.ToHashCode();
    }
}
