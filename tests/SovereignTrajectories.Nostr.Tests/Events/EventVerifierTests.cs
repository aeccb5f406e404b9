using System.Collections.Concurrent;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Keys;

namespace SovereignTrajectories.Nostr.Tests.Events;

public sealed class EventVerifierTests
{
    private static NostrEvent Signed(string content = "hello", SecretKey? key = null)
    {
        using SecretKey owned = SecretKey.Generate();
        return EventSigner.Sign(new UnsignedEvent(1700000000, 39231, [new Tag("d", "s:1")], content), key ?? owned);
    }

    [Fact]
    public void Accepts_a_correctly_signed_event()
    {
        Assert.Equal(new EventCheck(true, null), EventVerifier.Verify(Signed()));
    }

    [Fact]
    public void Rejects_event_whose_id_does_not_match_content()
    {
        NostrEvent e = Signed() with { Content = "tampered" };
        EventCheck check = EventVerifier.Verify(e);
        Assert.False(check.IsValid);
        Assert.Equal("id mismatch: computed " + EventId.Compute(e), check.Reason);
    }

    [Fact]
    public void Rejects_event_with_tampered_tags_or_time()
    {
        NostrEvent e = Signed();
        Assert.StartsWith("id mismatch", EventVerifier.Verify(e with { CreatedAt = e.CreatedAt + 1 }).Reason, StringComparison.Ordinal);
        Assert.StartsWith("id mismatch", EventVerifier.Verify(e with { Tags = new TagList([new Tag("d", "s:2")]) }).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_event_with_a_signature_from_another_key()
    {
        NostrEvent e = Signed();
        NostrEvent other = Signed();
        NostrEvent forged = e with { Sig = other.Sig };
        Assert.Equal(new EventCheck(false, "bad signature"), EventVerifier.Verify(forged));
    }

    [Fact]
    public void Rejects_event_whose_id_and_signature_are_recomputed_under_a_different_pubkey()
    {
        using SecretKey attacker = SecretKey.Generate();
        NostrEvent e = Signed();
        NostrEvent resigned = Signed(e.Content, attacker);
        string id = EventId.Compute(e.PubKey, resigned.CreatedAt, resigned.Kind, resigned.Tags, resigned.Content);
        NostrEvent forged = resigned with { PubKey = e.PubKey, Id = id };
        Assert.Equal("bad signature", EventVerifier.Verify(forged).Reason);
    }

    [Fact]
    public void Rejects_pubkey_that_is_not_on_the_curve()
    {
        // BIP-340 vector 5's key is not on the curve; the id is recomputed so only the key is wrong.
        const string offCurve = "eefdea4cdb677750a420fee807eacf21eb9898ae79b9768766e4faa04a2d4a34";
        NostrEvent e = Signed();
        string id = EventId.Compute(offCurve, e.CreatedAt, e.Kind, e.Tags, e.Content);
        Assert.Equal("pubkey is not a valid x-only key", EventVerifier.Verify(e with { PubKey = offCurve, Id = id }).Reason);
    }

    [Theory]
    [InlineData("id")]
    [InlineData("pubkey")]
    [InlineData("sig")]
    public void Rejects_upper_case_hex_fields(string field)
    {
        NostrEvent e = Signed();
        NostrEvent bad = field switch
        {
            "id" => e with { Id = e.Id.ToUpperInvariant() },
            "pubkey" => e with { PubKey = e.PubKey.ToUpperInvariant() },
            _ => e with { Sig = e.Sig.ToUpperInvariant() },
        };
        EventCheck check = EventVerifier.Verify(bad);
        Assert.False(check.IsValid);
        Assert.StartsWith(field + " is not", check.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_lone_surrogate_as_invalid_rather_than_throwing()
    {
        NostrEvent e = Signed() with { Content = "\ud800" };
        EventCheck check = EventVerifier.Verify(e);
        Assert.False(check.IsValid);
        Assert.StartsWith("content:", check.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verifies_correctly_from_many_threads_at_once()
    {
        using SecretKey key = SecretKey.Generate();
        var events = new List<(NostrEvent Event, bool Valid)>();
        for (int i = 0; i < 400; i++)
        {
            NostrEvent e = EventSigner.Sign(new UnsignedEvent(1700000000 + i, 39231, [new Tag("d", $"s:{i}")], $"step {i} 😀"), key);
            events.Add(i % 3 == 0 ? (e with { Content = e.Content + "!" }, false) : (e, true));
        }

        var wrong = new ConcurrentBag<int>();
        for (int pass = 0; pass < 5; pass++)
        {
            Parallel.For(0, events.Count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            {
                if (EventVerifier.IsValid(events[i].Event) != events[i].Valid)
                {
                    wrong.Add(i);
                }
            });
        }

        Assert.Empty(wrong);
    }

    [Fact]
    public void Signs_correctly_from_many_threads_at_once()
    {
        using SecretKey key = SecretKey.Generate();
        var signed = new ConcurrentBag<NostrEvent>();
        Parallel.For(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            signed.Add(EventSigner.Sign(new UnsignedEvent(i, 1, TagList.Empty, $"n{i}"), key)));
        Assert.Equal(200, signed.Count);
        Assert.All(signed, e => Assert.True(EventVerifier.IsValid(e)));
    }
}
