using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Keys;

namespace SovereignTrajectories.Nostr.Tests.Events;

public sealed class EventSignerTests
{
    [Fact]
    public void Signed_nip01_vector_event_has_the_vector_id_and_verifies()
    {
        using SecretKey key = SecretKey.FromHex(Nip01Vectors.SecretHex);
        NostrEvent e = EventSigner.Sign(new UnsignedEvent(1700000000, 39230, Nip01Vectors.EscapesTags, Nip01Vectors.EscapesContent), key);
        Assert.Equal(Nip01Vectors.PubKey, e.PubKey);
        Assert.Equal(Nip01Vectors.EscapesId, e.Id);
        Assert.Equal(EventCheck.Valid, EventVerifier.Verify(e));
    }

    [Fact]
    public void Signing_round_trips_through_json()
    {
        using SecretKey key = SecretKey.Generate();
        NostrEvent e = EventSigner.Sign(new UnsignedEvent(1, 1, [new Tag("t", "x")], "body"), key);
        NostrEvent back = EventParser.Parse(CanonicalJson.Serialize(e));
        Assert.Equal(e, back);
        Assert.True(EventVerifier.IsValid(back));
    }

    [Fact]
    public void Each_signature_uses_fresh_randomness()
    {
        using SecretKey key = SecretKey.Generate();
        var template = new UnsignedEvent(1, 1, TagList.Empty, "same");
        NostrEvent a = EventSigner.Sign(template, key);
        NostrEvent b = EventSigner.Sign(template, key);
        Assert.Equal(a.Id, b.Id);
        Assert.NotEqual(a.Sig, b.Sig);
        Assert.True(EventVerifier.IsValid(a));
        Assert.True(EventVerifier.IsValid(b));
    }

    [Fact]
    public void Refuses_content_with_a_lone_surrogate()
    {
        using SecretKey key = SecretKey.Generate();
        var ex = Assert.Throws<EventFormatException>(() => EventSigner.Sign(new UnsignedEvent(1, 1, TagList.Empty, "\ud800"), key));
        Assert.Equal("content", ex.Field);
    }

    [Fact]
    public void Refuses_kind_outside_0_to_65535()
    {
        using SecretKey key = SecretKey.Generate();
        Assert.Equal("kind", Assert.Throws<EventFormatException>(() => EventSigner.Sign(new UnsignedEvent(1, 70000, TagList.Empty, ""), key)).Field);
    }

    [Fact]
    public void Refuses_a_disposed_key()
    {
        SecretKey key = SecretKey.Generate();
        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => EventSigner.Sign(new UnsignedEvent(1, 1, TagList.Empty, ""), key));
    }
}
