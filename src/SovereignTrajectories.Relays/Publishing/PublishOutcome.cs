using SovereignTrajectories.Nostr.Messages;

namespace SovereignTrajectories.Relays.Publishing;

/// <summary>
/// What one relay did with one event: exactly one of the derived records. Only
/// <see cref="Accepted"/> means the relay answered <c>OK true</c>.
/// </summary>
public abstract record PublishOutcome
{
    private protected PublishOutcome()
    {
    }

    /// <summary>True only for <see cref="Accepted"/>.</summary>
    public bool IsAccepted => this is Accepted;

    /// <summary>A short, one-line form for logs and the CLI.</summary>
    public abstract string Describe();

    /// <summary>The relay answered <c>OK true</c> (including <c>duplicate:</c>, which means it already holds the event).</summary>
    public sealed record Accepted(string Message, bool IsDuplicate = false) : PublishOutcome
    {

        public override string Describe() => Message.Length == 0 ? "accepted" : $"accepted ({Message})";
    }

    /// <summary>The relay answered <c>OK false</c> with a prefix other than auth-required or rate-limited.</summary>
    public sealed record Rejected(MachineReadablePrefix Prefix, string Message) : PublishOutcome
    {
        public override string Describe() => $"rejected: {Message}";
    }

    /// <summary>The relay wants NIP-42 authentication and the pool could not (or, after authenticating, was still refused).</summary>
    public sealed record AuthRequired(string Message) : PublishOutcome
    {
        public override string Describe() => $"auth-required: {Message}";
    }

    /// <summary>
    /// The relay said <c>rate-limited:</c> (<see cref="Sent"/> true), or it is still in the cooldown
    /// that answer started and the event never left the client (<see cref="Sent"/> false); try again
    /// after <see cref="RetryAfter"/>.
    /// </summary>
    public sealed record RateLimited(TimeSpan RetryAfter, string Message, bool Sent = true) : PublishOutcome
    {
        public override string Describe() => $"rate-limited (retry after {RetryAfter.TotalSeconds:0.#} s): {Message}";
    }

    /// <summary>The event was sent but no OK arrived in time (or the connection dropped before it did).</summary>
    public sealed record Timeout(TimeSpan Waited, string Reason) : PublishOutcome
    {
        public override string Describe() => $"timeout: {Reason}";
    }

    /// <summary>The event never left the client: not connected, too large for the relay, breaks its limits, ...</summary>
    public sealed record NotSent(string Reason) : PublishOutcome
    {
        public override string Describe() => $"not sent: {Reason}";
    }
}
