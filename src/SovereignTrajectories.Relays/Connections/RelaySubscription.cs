using System.Threading.Channels;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Filters;

namespace SovereignTrajectories.Relays.Connections;

/// <summary>
/// One REQ on one relay. Events arrive verified and matched; the buffer is bounded, so a relay that
/// sends faster than the reader consumes is slowed down rather than buffered without end. A live
/// subscription is re-sent (with <c>since</c>) after every reconnect; a one-shot one ends with
/// <see cref="SubscriptionItem.ConnectionLost"/>.
/// </summary>
public sealed class RelaySubscription : IAsyncDisposable
{
    private readonly RelayConnection _owner;
    private readonly Channel<SubscriptionItem> _items;
    private long _newestCreatedAt = long.MinValue;
    private long _droppedInvalid;
    private long _droppedUnmatched;
    private long _received;
    private int _disposed;

    internal RelaySubscription(RelayConnection owner, string id, IReadOnlyList<Filter> filters, bool live, int capacity)
    {
        _owner = owner;
        Id = id;
        Filters = filters;
        OriginalFilters = filters;
        Live = live;
        _items = Channel.CreateBounded<SubscriptionItem>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>The subscription id sent to the relay.</summary>
    public string Id { get; }

    /// <summary>The relay this subscription runs on.</summary>
    public string Relay => _owner.Name;

    /// <summary>The filters as last sent (with <c>since</c> added after a reconnect).</summary>
    public IReadOnlyList<Filter> Filters { get; private set; }

    /// <summary>The filters the caller asked for.</summary>
    public IReadOnlyList<Filter> OriginalFilters { get; }

    /// <summary>Whether the subscription outlives EOSE and reconnects.</summary>
    public bool Live { get; }

    /// <summary>The items, in arrival order.</summary>
    public ChannelReader<SubscriptionItem> Items => _items.Reader;

    /// <summary>Events that passed every check.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Events dropped for a bad id or signature (or unparseable).</summary>
    public long DroppedInvalid => Interlocked.Read(ref _droppedInvalid);

    /// <summary>Events dropped for not matching any of the subscription's filters.</summary>
    public long DroppedUnmatched => Interlocked.Read(ref _droppedUnmatched);

    /// <summary>How the subscription ended (CLOSED or connection lost), once it has; null while it runs.</summary>
    public SubscriptionItem? Terminal { get; private set; }

    internal bool AuthRetried { get; set; }

    internal bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>The filters to send after a reconnect: the originals, with <c>since</c> moved up to the newest event seen.</summary>
    internal IReadOnlyList<Filter> FiltersForResend()
    {
        long newest = Interlocked.Read(ref _newestCreatedAt);
        if (newest == long.MinValue)
        {
            return OriginalFilters;
        }

        Filters = OriginalFilters.Select(f => f with { Since = Math.Max(f.Since ?? long.MinValue, newest) }).ToArray();
        return Filters;
    }

    internal bool Matches(NostrEvent e)
    {
        foreach (Filter f in Filters)
        {
            if (f.Matches(e))
            {
                return true;
            }
        }

        return false;
    }

    internal void CountInvalid() => Interlocked.Increment(ref _droppedInvalid);

    internal void CountUnmatched() => Interlocked.Increment(ref _droppedUnmatched);

    internal ValueTask DeliverAsync(NostrEvent e, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _received);
        long current;
        while ((current = Interlocked.Read(ref _newestCreatedAt)) < e.CreatedAt
            && Interlocked.CompareExchange(ref _newestCreatedAt, e.CreatedAt, current) != current)
        {
        }

        return WriteAsync(new SubscriptionItem.Received(e), cancellationToken);
    }

    internal ValueTask WriteAsync(SubscriptionItem item, CancellationToken cancellationToken)
    {
        if (_items.Writer.TryWrite(item))
        {
            return ValueTask.CompletedTask;
        }

        return WriteSlowAsync(item, cancellationToken);
    }

    internal void Complete(SubscriptionItem? last)
    {
        if (last is not null)
        {
            // Never block the connection on a reader that may not come back: when the buffer is
            // full the final item is still available as Terminal once the buffer drains.
            Terminal = last;
            _items.Writer.TryWrite(last);
        }

        _items.Writer.TryComplete();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _items.Writer.TryComplete();
        await _owner.UnsubscribeAsync(this).ConfigureAwait(false);
    }

    private async ValueTask WriteSlowAsync(SubscriptionItem item, CancellationToken cancellationToken)
    {
        try
        {
            await _items.Writer.WriteAsync(item, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            // The reader is gone; the item has no one to go to.
        }
    }
}
