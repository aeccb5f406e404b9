namespace SovereignTrajectories.Nostr.Messages;

/// <summary>The NIP-01 machine-readable prefix of an OK or CLOSED message (<c>"blocked: ..."</c>).</summary>
public enum MachineReadablePrefix
{
    /// <summary>The message has no <c>word:</c> prefix.</summary>
    None,
    Duplicate,
    Pow,
    Blocked,
    RateLimited,
    Invalid,
    Restricted,
    Mute,
    Error,
    AuthRequired,

    /// <summary>A <c>word:</c> prefix NIP-01 does not define.</summary>
    Unknown,
}
