using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Keys;

namespace SovereignTrajectories.Relays.Auth;

/// <summary>An <see cref="IAuthSigner"/> over a local <see cref="SecretKey"/> (which redacts itself in logs).</summary>
public sealed class SecretKeyAuthSigner(SecretKey key) : IAuthSigner
{
    private readonly SecretKey _key = key ?? throw new ArgumentNullException(nameof(key));

    public string PublicKeyHex => _key.PublicKey.Hex;

    public ValueTask<NostrEvent> SignAsync(UnsignedEvent authEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authEvent);
        if (authEvent.Kind != 22242)
        {
            throw new ArgumentException($"refusing to sign kind {authEvent.Kind} as an auth event: only kind 22242 (NIP-42) is signed here", nameof(authEvent));
        }

        return ValueTask.FromResult(EventSigner.Sign(authEvent, _key));
    }
}
