using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace SovereignTrajectories.Nostr.Events;

/// <summary>
/// A list that lives on the stack while the parser gathers one tag's values or one event's tags, so the
/// only array left behind is the exact-size copy the tag or list keeps. Tags of up to 16 elements and
/// events of up to 16 tags (nearly all) never touch the heap here; longer ones spill to an array.
/// </summary>
internal ref struct ScratchList<T>
    where T : class
{
    private const int InlineCapacity = 16;

    private Inline16 _inline;
    private T[]? _spill;
    private int _count;

    public readonly int Count => _count;

    [UnscopedRef]
    public readonly ReadOnlySpan<T> Items => _spill is null ? ((ReadOnlySpan<T>)_inline)[.._count] : _spill.AsSpan(0, _count);

    public void Add(T item)
    {
        if (_spill is null)
        {
            if (_count < InlineCapacity)
            {
                _inline[_count++] = item;
                return;
            }

            _spill = new T[InlineCapacity * 2];
            ((ReadOnlySpan<T>)_inline).CopyTo(_spill);
        }
        else if (_count == _spill.Length)
        {
            Array.Resize(ref _spill, _spill.Length * 2);
        }

        _spill[_count++] = item;
    }

    /// <summary>Empties the list for the next tag; a spilled array is kept for reuse.</summary>
    public void Clear() => _count = 0;

    public readonly T[] ToArray() => Items.ToArray();

    [InlineArray(InlineCapacity)]
    private struct Inline16
    {
        private T _element;
    }
}
