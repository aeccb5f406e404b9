namespace SovereignTrajectories.Nostr.Events;

/// <summary>The verifier's verdict on one event: valid, or the first reason it is not.</summary>
public readonly record struct EventCheck(bool IsValid, string? Reason)
{
    public static EventCheck Valid => new(true, null);

    public static EventCheck Invalid(string reason) => new(false, reason);
}
