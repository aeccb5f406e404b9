using System.Collections;
using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace SovereignTrajectories.Nostr.Events;

/// <summary>
/// One NIP-01 tag: a non-empty array of strings. Compared by value, so events built from the
/// same tags compare equal.
/// </summary>
public sealed class Tag : IReadOnlyList<string>, IEquatable<Tag>
{
    private readonly ImmutableArray<string> _values;

    public Tag(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = values.ToImmutableArray();
        if (_values.IsEmpty)
        {
            throw new ArgumentException("a tag needs at least one element", nameof(values));
        }

        foreach (string v in _values)
        {
            if (v is null)
            {
                throw new ArgumentException("tag elements cannot be null", nameof(values));
            }
        }
    }

    public Tag(params string[] values)
        : this((IEnumerable<string>)values)
    {
    }

    // The public constructors box, copy and re-check what they are given; the parser builds one tag per
    // element of every event it reads and has already checked each value.
    private Tag(ImmutableArray<string> values) => _values = values;

    /// <summary>
    /// A tag over <paramref name="values"/> itself, which becomes the tag's storage: the caller hands over
    /// an array nobody else holds, with at least one element and no null.
    /// </summary>
    internal static Tag FromOwnedArray(string[] values) => new(ImmutableCollectionsMarshal.AsImmutableArray(values));

    /// <summary>The tag's name: its first element (<c>d</c>, <c>e</c>, <c>p</c>, ...).</summary>
    public string Name => _values[0];

    /// <summary>The tag's first value (its second element), or null when it has none.</summary>
    public string? Value => _values.Length > 1 ? _values[1] : null;

    public int Count => _values.Length;

    public string this[int index] => _values[index];

    public ImmutableArray<string> Values => _values;

    public static Tag Create(params string[] values) => new(values);

    public ImmutableArray<string>.Enumerator GetEnumerator() => _values.GetEnumerator();

    IEnumerator<string> IEnumerable<string>.GetEnumerator() => ((IEnumerable<string>)_values).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable)_values).GetEnumerator();

    public bool Equals(Tag? other) =>
        other is not null && (ReferenceEquals(this, other) || _values.AsSpan().SequenceEqual(other._values.AsSpan()));

    public override bool Equals(object? obj) => Equals(obj as Tag);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (string v in _values)
        {
            hash.Add(v, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => "[" + string.Join(",", _values.Select(v => "\"" + v + "\"")) + "]";
}
