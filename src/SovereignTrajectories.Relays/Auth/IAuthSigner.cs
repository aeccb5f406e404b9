using SovereignTrajectories.Nostr.Events;

namespace SovereignTrajectories.Relays.Auth;

/// <summary>
/// Signs NIP-42 authentication events for the pool, so that the pool never holds key bytes itself
/// (the signer may be a key file, an environment variable, or a remote signer).
/// </summary>
public interface IAuthSigner
{
    /// <summary>The public key (hex) the relay will see.</summary>
    string PublicKeyHex { get; }

    /// <summary>Signs a kind 22242 event built by the pool.</summary>
    ValueTask<NostrEvent> SignAsync(UnsignedEvent authEvent, CancellationToken cancellationToken);
}
