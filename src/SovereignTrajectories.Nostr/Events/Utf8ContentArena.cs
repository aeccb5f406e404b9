namespace SovereignTrajectories.Nostr.Events;

/// <summary>
/// Where a parser keeps the contents of the events it reads, as UTF-8 in large blocks on the pinned
/// object heap, instead of one UTF-16 string per event. A verifier holding a large archive keeps nearly
/// every event until the end: held as strings, each content is copied by the collector as it ages (twice
/// its UTF-8 size), while a pinned block is never moved. Contents read back as text through
/// <see cref="NostrEvent.Content"/> are decoded on each read; <see cref="NostrEvent.TryGetContentUtf8"/>
/// gives the bytes. Thread-safe: one arena serves every thread parsing one archive.
/// </summary>
public sealed class Utf8ContentArena
{
    /// <summary>Blocks of this size hold the contents; a content over a quarter of it gets its own array.</summary>
    internal const int BlockBytes = 1 << 20;

    private readonly Lock _gate = new();
    private byte[] _block = [];
    private int _used;
    private long _held;

    /// <summary>Bytes of content held so far (not counting the unused end of each block).</summary>
    public long BytesHeld => Interlocked.Read(ref _held);

    /// <summary>Copies <paramref name="utf8"/> into the arena; the caller has checked it is valid UTF-8.</summary>
    internal ReadOnlyMemory<byte> Add(ReadOnlySpan<byte> utf8)
    {
        Interlocked.Add(ref _held, utf8.Length);
        if (utf8.Length > BlockBytes / 4)
        {
            return utf8.ToArray();
        }

        lock (_gate)
        {
            if (_block.Length - _used < utf8.Length)
            {
                _block = GC.AllocateUninitializedArray<byte>(BlockBytes, pinned: true);
                _used = 0;
            }

            Memory<byte> slot = _block.AsMemory(_used, utf8.Length);
            utf8.CopyTo(slot.Span);
            _used += utf8.Length;
            return slot;
        }
    }
}
