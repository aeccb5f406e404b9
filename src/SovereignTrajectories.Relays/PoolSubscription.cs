using System.Runtime.CompilerServices;
using System.Threading.Channels;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Relays.Connections;

namespace SovereignTrajectories.Relays;

/// <summary>
/// A live subscription across the pool's read relays: verified, matching events from any relay,
/// each event once, surviving reconnects (each relay re-sends its REQ with <c>since</c>).
/// </summary>
public sealed class PoolSubscription : IAsyncDisposable
{
    private readonly IReadOnlyList<RelaySubscription> _subscriptions;
    private readonly Channel<NostrEvent> _merged;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pumps;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    internal PoolSubscription(IReadOnlyList<RelaySubscription> subscriptions, int capacity)
    {
        _subscriptions = subscriptions;
        _merged = Channel.CreateBounded<NostrEvent>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _pumps = Task.WhenAll(subscriptions.Select(s => PumpAsync(s, _stop.Token)))
            .ContinueWith(_ => _merged.Writer.TryComplete(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>The per-relay subscriptions (for drop counts and how each ended).</summary>
    public IReadOnlyList<RelaySubscription> Relays => _subscriptions;

    /// <summary>Events as they arrive, until disposed or every relay closed the subscription.</summary>
    public async IAsyncEnumerable<NostrEvent> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (NostrEvent e in _merged.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return e;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (RelaySubscription s in _subscriptions)
        {
            await s.DisposeAsync().ConfigureAwait(false);
        }

        await _pumps.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task PumpAsync(RelaySubscription sub, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (SubscriptionItem item in sub.Items.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (item is SubscriptionItem.Received r)
                {
                    bool fresh;
                    lock (_gate)
                    {
                        fresh = _seen.Add(r.Event.Id);
                    }

                    if (fresh)
                    {
                        await _merged.Writer.WriteAsync(r.Event, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            // Disposed.
        }
    }
}
