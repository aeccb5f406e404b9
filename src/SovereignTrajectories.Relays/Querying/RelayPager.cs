using System.Threading.Channels;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Filters;
using SovereignTrajectories.Relays.Configuration;
using SovereignTrajectories.Relays.Connections;

namespace SovereignTrajectories.Relays.Querying;

/// <summary>
/// Runs one filter against one relay page by page, moving <c>until</c> back to the oldest event seen,
/// until a page brings nothing new (or the filter's own <c>limit</c> is met). Relays cap <c>limit</c>
/// silently and differently, so a short page alone does not prove the filter is exhausted, unless
/// the relay published its cap in NIP-11.
/// </summary>
internal sealed class RelayPager(
    RelayConnection connection,
    Filter filter,
    ChannelWriter<NostrEvent> output,
    QueryReportBuilder report,
    RelayConnectionOptions options)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        int? advertisedCap = connection.Information?.Limitation?.MaxLimit;
        int pageSize = advertisedCap is int cap and > 0 ? Math.Min(options.PageSize, cap) : options.PageSize;
        int? wanted = filter.Limit;
        long? until = filter.Until;
        int delivered = 0;
        bool steppedPastTie = false;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            int ask = wanted is int w ? Math.Min(pageSize, w - delivered) : pageSize;
            if (ask <= 0)
            {
                return;
            }

            Filter page = filter with { Until = until, Limit = ask };
            int received = 0;
            int fresh = 0;
            long? oldest = null;
            RelaySubscription sub = await connection.SubscribeAsync([page], live: false, cancellationToken).ConfigureAwait(false);
            await using (sub.ConfigureAwait(false))
            {
                using var timeout = new CancellationTokenSource(options.QueryTimeout, connection.Time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
                bool ended = false;
                try
                {
                    while (!ended && await sub.Items.WaitToReadAsync(linked.Token).ConfigureAwait(false))
                    {
                        while (sub.Items.TryRead(out SubscriptionItem? item))
                        {
                            switch (item)
                            {
                                case SubscriptionItem.Received r:
                                    received++;
                                    oldest = oldest is long o ? Math.Min(o, r.Event.CreatedAt) : r.Event.CreatedAt;
                                    if (seen.Add(r.Event.Id))
                                    {
                                        fresh++;
                                        delivered++;
                                        await output.WriteAsync(r.Event, cancellationToken).ConfigureAwait(false);
                                    }

                                    break;
                                case SubscriptionItem.EndOfStoredEvents:
                                    ended = true;
                                    break;
                                case SubscriptionItem.Closed c:
                                    report.AddPage(sub);
                                    report.Fail($"CLOSED: {c.Message}", c.Prefix);
                                    return;
                                case SubscriptionItem.ConnectionLost lost:
                                    report.AddPage(sub);
                                    report.Fail(lost.Reason);
                                    return;
                            }

                            if (ended)
                            {
                                break;
                            }
                        }
                    }
                }
                catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    report.AddPage(sub);
                    report.Fail($"no EOSE within {options.QueryTimeout.TotalSeconds:0.###} s");
                    return;
                }

                if (!ended)
                {
                    // The channel completed without EOSE: the terminal item may not have fitted in the buffer.
                    report.AddPage(sub);
                    report.Fail(sub.Terminal switch
                    {
                        SubscriptionItem.Closed c => $"CLOSED: {c.Message}",
                        SubscriptionItem.ConnectionLost l => l.Reason,
                        _ => "subscription ended without EOSE",
                    });
                    return;
                }

                report.AddPage(sub);
            }

            if (filter.Ids is { Count: > 0 } || oldest is null)
            {
                return;
            }

            if (advertisedCap is not null && received < ask)
            {
                return;
            }

            if (fresh == 0)
            {
                // A full page of events all sharing the boundary second would stall paging; step
                // past that second once rather than loop forever.
                if (received >= ask && !steppedPastTie && oldest == until)
                {
                    steppedPastTie = true;
                    until = oldest - 1;
                    continue;
                }

                return;
            }

            steppedPastTie = false;
            until = oldest;
        }
    }
}
