using System.Collections;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;

namespace SovereignTrajectories.Trajectories.Model;

/// <summary>
/// An immutable list compared by value, so that records holding lists (steps, participants,
/// todo items) compare equal when their contents do. Supports collection expressions.
/// </summary>
[CollectionBuilder(typeof(ValueList), nameof(ValueList.Create))]
public sealed class ValueList<T> : IReadOnlyList<T>, IEquatable<ValueList<T>>
{
    private readonly ImmutableArray<T> _items;

    /// <summary>The empty list.</summary>
    public static ValueList<T> Empty { get; } = new(ImmutableArray<T>.Empty);

    public ValueList(IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        _items = items.ToImmutableArray();
    }

    internal ValueList(ImmutableArray<T> items) => _items = items.IsDefault ? ImmutableArray<T>.Empty : items;

    public int Count => _items.Length;

    public T this[int index] => _items[index];

    /// <summary>The underlying immutable array (no copy).</summary>
    public ImmutableArray<T> AsImmutableArray() => _items;

    /// <summary>A new list with <paramref name="items"/> appended.</summary>
    public ValueList<T> AddRange(IEnumerable<T> items) => new(_items.AddRange(items));

    /// <summary>A new list with <paramref name="item"/> appended.</summary>
    public ValueList<T> Add(T item) => new(_items.Add(item));

    public ImmutableArray<T>.Enumerator GetEnumerator() => _items.GetEnumerator();

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable)_items).GetEnumerator();

    public bool Equals(ValueList<T>? other)
    {
        if (other is null)
        {
            return false;
        }

        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (_items.Length != other._items.Length)
        {
            return false;
        }

        EqualityComparer<T> comparer = EqualityComparer<T>.Default;
        for (int i = 0; i < _items.Length; i++)
        {
            if (!comparer.Equals(_items[i], other._items[i]))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as ValueList<T>);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(_items.Length);
        foreach (T item in _items)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => $"[{_items.Length} items]";
}

/// <summary>Factory methods for <see cref="ValueList{T}"/> (also the collection-expression builder).</summary>
public static class ValueList
{
    public static ValueList<T> Create<T>(ReadOnlySpan<T> items) => new(ImmutableArray.Create(items));

    public static ValueList<T> From<T>(IEnumerable<T> items) => new(items);
}
