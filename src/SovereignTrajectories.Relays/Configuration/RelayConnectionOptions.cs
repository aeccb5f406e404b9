namespace SovereignTrajectories.Relays.Configuration;

/// <summary>How one relay connection behaves: timeouts, resource caps, reconnect and politeness limits.</summary>
public sealed class RelayConnectionOptions
{
    /// <summary>
    /// How long opening the WebSocket may take before the attempt counts as failed. The first attempt
    /// shares it with fetching the NIP-11 document, so a host that never answers costs it once.
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a publish waits for the relay's OK before reporting a timeout.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How many events may wait for this relay's OK at once; more publishes wait their turn, and their
    /// <see cref="PublishTimeout"/> starts only when they are sent. A relay answers one event after another,
    /// so thousands sent at once would time out the tail of its queue.
    /// </summary>
    public int MaxPublishesInFlight { get; set; } = 256;

    /// <summary>How long a query waits for EOSE from one relay before giving up on it.</summary>
    public TimeSpan QueryTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long NIP-42 authentication may take (waiting for a challenge, then its OK).</summary>
    public TimeSpan AuthTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>WebSocket ping interval; zero disables keep-alive.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait for a pong before the connection is considered dead; zero waits forever.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Largest incoming message kept; bigger ones are discarded unread (so a hostile relay cannot exhaust memory).</summary>
    public int MaxIncomingMessageBytes { get; set; } = 1024 * 1024;

    /// <summary>Events buffered per subscription before the reader stops taking more from the socket.</summary>
    public int MaxBufferedEvents { get; set; } = 4096;

    /// <summary>Outgoing messages queued per connection before publishers wait.</summary>
    public int MaxQueuedOutgoing { get; set; } = 4096;

    /// <summary>How many NOTICE texts are remembered per relay (older ones are only counted).</summary>
    public int MaxRememberedNotices { get; set; } = 16;

    /// <summary>First reconnect delay; doubles per consecutive failure.</summary>
    public TimeSpan ReconnectBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Largest reconnect delay.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Random spread of each delay, as a fraction of it (0.2 = plus or minus 20 %).</summary>
    public double ReconnectJitter { get; set; } = 0.2;

    /// <summary>A connection that stays up this long resets the backoff; shorter ones count as failures (flapping).</summary>
    public TimeSpan StabilityWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether the connection reconnects by itself after losing the relay.</summary>
    public bool Reconnect { get; set; } = true;

    /// <summary>Hard cap on connection attempts to one relay per minute, whatever the backoff says.</summary>
    public int MaxConnectAttemptsPerMinute { get; set; } = 6;

    /// <summary>How long publishing to a relay pauses after it answered <c>rate-limited:</c>.</summary>
    public TimeSpan RateLimitCooldown { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether to fetch the relay's NIP-11 document and refuse events that would break its limits.</summary>
    public bool FetchRelayInformation { get; set; } = true;

    /// <summary>Largest page asked of a relay in one REQ (lowered to the relay's NIP-11 <c>max_limit</c>).</summary>
    public int PageSize { get; set; } = 500;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        Positive(ConnectTimeout, nameof(ConnectTimeout));
        Positive(PublishTimeout, nameof(PublishTimeout));
        Positive(QueryTimeout, nameof(QueryTimeout));
        Positive(AuthTimeout, nameof(AuthTimeout));
        Positive(ReconnectBaseDelay, nameof(ReconnectBaseDelay));
        Positive(ReconnectMaxDelay, nameof(ReconnectMaxDelay));
        if (ReconnectMaxDelay < ReconnectBaseDelay)
        {
            throw new ArgumentException($"{nameof(ReconnectMaxDelay)} ({ReconnectMaxDelay}) is below {nameof(ReconnectBaseDelay)} ({ReconnectBaseDelay})");
        }

        if (KeepAliveInterval < TimeSpan.Zero || KeepAliveTimeout < TimeSpan.Zero || StabilityWindow < TimeSpan.Zero || RateLimitCooldown < TimeSpan.Zero)
        {
            throw new ArgumentException("keep-alive, stability window and cooldown cannot be negative");
        }

        if (ReconnectJitter is < 0 or > 1 || double.IsNaN(ReconnectJitter))
        {
            throw new ArgumentException($"{nameof(ReconnectJitter)} must be between 0 and 1, got {ReconnectJitter}");
        }

        AtLeast(MaxIncomingMessageBytes, 1024, nameof(MaxIncomingMessageBytes));
        AtLeast(MaxBufferedEvents, 1, nameof(MaxBufferedEvents));
        AtLeast(MaxQueuedOutgoing, 1, nameof(MaxQueuedOutgoing));
        AtLeast(MaxPublishesInFlight, 1, nameof(MaxPublishesInFlight));
        AtLeast(MaxRememberedNotices, 0, nameof(MaxRememberedNotices));
        AtLeast(MaxConnectAttemptsPerMinute, 1, nameof(MaxConnectAttemptsPerMinute));
        AtLeast(PageSize, 1, nameof(PageSize));
    }

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{name} must be positive, got {value}");
        }
    }

    private static void AtLeast(int value, int minimum, string name)
    {
        if (value < minimum)
        {
            throw new ArgumentException($"{name} must be at least {minimum}, got {value}");
        }
    }
}
