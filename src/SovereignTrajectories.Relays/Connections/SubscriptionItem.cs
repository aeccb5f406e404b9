using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Messages;

namespace SovereignTrajectories.Relays.Connections;

/// <summary>What a subscription yields, in the order the relay sent it.</summary>
public abstract record SubscriptionItem
{
    private protected SubscriptionItem()
    {
    }

    /// <summary>An event that passed id, signature and filter checks.</summary>
    public sealed record Received(NostrEvent Event) : SubscriptionItem;

    /// <summary>EOSE: the relay has sent everything it had stored.</summary>
    public sealed record EndOfStoredEvents : SubscriptionItem;

    /// <summary>CLOSED: the relay ended the subscription (after the pool's auth attempt, if it asked for one).</summary>
    public sealed record Closed(MachineReadablePrefix Prefix, string Message) : SubscriptionItem;

    /// <summary>The connection dropped (or was never up) under a one-shot subscription.</summary>
    public sealed record ConnectionLost(string Reason) : SubscriptionItem;
}
