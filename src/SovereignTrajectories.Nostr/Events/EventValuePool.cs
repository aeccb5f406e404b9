using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text;

namespace SovereignTrajectories.Nostr.Events;

/// <summary>
/// One instance for the values many events repeat, handed out by the parser while it reads
/// (<see cref="EventParser.TryParse(ReadOnlySpan{byte}, Span{byte}, EventValuePool?, out NostrEvent?, out EventFormatException?)"/>):
/// the author's pubkey; whole tags named in <see cref="EventValuePool(IEnumerable{string})"/> and NIP-10
/// <c>e</c> tags marked <c>root</c>, as one <see cref="Tag"/> each; tag names; and event ids, so a reply's
/// <c>e</c> tag holds the same string as the event it names. A repeated value is found from the bytes
/// being parsed, without making a string first. Values that are unique per event (<c>d</c>, hashes,
/// content) never pass through here. Events parsed with a pool equal those parsed without one.
/// Thread-safe: one pool serves every thread parsing one archive.
/// </summary>
public sealed class EventValuePool
{
    /// <summary>Values longer than this are not pooled: they are rarely repeated and would need a large stack buffer.</summary>
    internal const int MaxTextLength = 256;

    // Bounds on what a pool keeps, whatever it is fed: past them it shares less, never more. An archive
    // of one agent holds a few hundred distinct shared values; ids are forgotten per chunk by the reader.
    private const int MaxLongLivedEntries = 1 << 16;
    private const int MaxIds = 1 << 18;

    private readonly FrozenSet<string> _wholeTagNames;
    private readonly ConcurrentDictionary<string, string> _texts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _textsBySpan;
    private readonly ConcurrentDictionary<string, string> _ids = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _idsBySpan;
    private readonly ConcurrentDictionary<Tag, Tag> _tags = new(TagValuesComparer.Instance);
    private readonly ConcurrentDictionary<Tag, Tag>.AlternateLookup<ReadOnlySpan<string>> _tagsByValues;
    private int _textCount;
    private int _tagCount;
    private int _idCount;

    /// <summary>A pool sharing whole <c>a</c>, <c>p</c> and <c>alt</c> tags, and <c>e</c> tags marked <c>root</c>.</summary>
    public EventValuePool()
        : this(["a", "p", "alt"])
    {
    }

    /// <summary>
    /// A pool sharing whole tags whose name is one of <paramref name="wholeTagNames"/>, and <c>e</c> tags marked
    /// <c>root</c>. Name only tags whose every value repeats across events: each distinct tag is kept for
    /// the pool's lifetime.
    /// </summary>
    public EventValuePool(IEnumerable<string> wholeTagNames)
    {
        ArgumentNullException.ThrowIfNull(wholeTagNames);
        _wholeTagNames = wholeTagNames.ToFrozenSet(StringComparer.Ordinal);
        _textsBySpan = _texts.GetAlternateLookup<ReadOnlySpan<char>>();
        _idsBySpan = _ids.GetAlternateLookup<ReadOnlySpan<char>>();
        _tagsByValues = _tags.GetAlternateLookup<ReadOnlySpan<string>>();
    }

    /// <summary>
    /// Forgets the event ids handed out so far. A reply names an event read shortly before it, so a reader
    /// going through a large file in chunks calls this between chunks to keep the pool small.
    /// </summary>
    public void ForgetIds()
    {
        _ids.Clear();
        Interlocked.Exchange(ref _idCount, 0);
    }

    /// <summary>Whether a tag with this name is shared whole, whatever its values.</summary>
    internal bool SharesWholeTag(string name) => _wholeTagNames.Contains(name);

    /// <summary>The pooled instance of <paramref name="text"/>.</summary>
    internal string Text(ReadOnlySpan<char> text)
    {
        if (_textsBySpan.TryGetValue(text, out string? pooled))
        {
            return pooled;
        }

        return Keep(_texts, text.ToString(), ref _textCount);
    }

    /// <summary>The pooled instance of ASCII <paramref name="utf8"/> (a pubkey, at most <see cref="MaxTextLength"/> bytes).</summary>
    internal string AsciiText(ReadOnlySpan<byte> utf8)
    {
        Span<char> chars = stackalloc char[MaxTextLength];
        return Text(chars[..Widen(utf8, chars)]);
    }

    /// <summary>The pooled instance of an event id, 64 lower-case hex digits as UTF-8.</summary>
    internal string Id(ReadOnlySpan<byte> lowerHex)
    {
        Span<char> chars = stackalloc char[64];
        ReadOnlySpan<char> id = chars[..Widen(lowerHex, chars)];
        if (_idsBySpan.TryGetValue(id, out string? pooled))
        {
            return pooled;
        }

        if (Interlocked.Increment(ref _idCount) > MaxIds)
        {
            // Only a reader that never forgets gets here; sharing is an optimisation, so start over.
            ForgetIds();
        }

        string made = id.ToString();
        return _ids.GetOrAdd(made, made);
    }

    /// <summary>The pooled tag with exactly <paramref name="values"/> (checked by the parser: non-empty, no null).</summary>
    internal Tag Tag(ReadOnlySpan<string> values)
    {
        if (_tagsByValues.TryGetValue(values, out Tag? pooled))
        {
            return pooled;
        }

        return Keep(_tags, Events.Tag.FromOwnedArray(values.ToArray()), ref _tagCount);
    }

    /// <summary>Adds <paramref name="made"/> unless the pool is full; the instance every caller gets from now on.</summary>
    private static T Keep<T>(ConcurrentDictionary<T, T> pool, T made, ref int count)
        where T : class
    {
        if (Volatile.Read(ref count) >= MaxLongLivedEntries)
        {
            return made;
        }

        T winner = pool.GetOrAdd(made, made);
        if (ReferenceEquals(winner, made))
        {
            Interlocked.Increment(ref count);
        }

        return winner;
    }

    private static int Widen(ReadOnlySpan<byte> ascii, Span<char> destination)
    {
        // Callers pass only bytes they have checked are ASCII (lower-case hex, or a plain name).
        if (Ascii.ToUtf16(ascii, destination, out int written) != System.Buffers.OperationStatus.Done)
        {
            throw new ArgumentException("expected ASCII text that fits the buffer", nameof(ascii));
        }

        return written;
    }

    /// <summary>Tags by value, found also from the values the parser has gathered on the stack.</summary>
    private sealed class TagValuesComparer : IEqualityComparer<Tag>, IAlternateEqualityComparer<ReadOnlySpan<string>, Tag>
    {
        public static readonly TagValuesComparer Instance = new();

        public bool Equals(Tag? x, Tag? y) => x is null ? y is null : x.Equals(y);

        public int GetHashCode(Tag obj) => Hash(obj.Values.AsSpan());

        public bool Equals(ReadOnlySpan<string> alternate, Tag other) => alternate.SequenceEqual(other.Values.AsSpan());

        public int GetHashCode(ReadOnlySpan<string> alternate) => Hash(alternate);

        public Tag Create(ReadOnlySpan<string> alternate) => Events.Tag.FromOwnedArray(alternate.ToArray());

        private static int Hash(ReadOnlySpan<string> values)
        {
            var hash = new HashCode();
            foreach (string v in values)
            {
                hash.Add(v.GetHashCode(StringComparison.Ordinal));
            }

            return hash.ToHashCode();
        }
    }
}
