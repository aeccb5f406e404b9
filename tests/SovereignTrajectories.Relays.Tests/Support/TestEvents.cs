using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Keys;

namespace SovereignTrajectories.Relays.Tests.Support;

/// <summary>Signed events from a throwaway key, for publishing in tests.</summary>
internal sealed class TestEvents : IDisposable
{
    private long _counter;

    public TestEvents() => Key = SecretKey.Generate();

    public SecretKey Key { get; }

    public string PubKey => Key.PublicKey.Hex;

    public NostrEvent Note(string content = "hello", int kind = 1, long? createdAt = null, params Tag[] tags) =>
        EventSigner.Sign(new UnsignedEvent(createdAt ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds(), kind, tags, content + " #" + Interlocked.Increment(ref _counter)), Key);

    public NostrEvent Signed(UnsignedEvent template) => EventSigner.Sign(template, Key);

    public void Dispose() => Key.Dispose();
}
