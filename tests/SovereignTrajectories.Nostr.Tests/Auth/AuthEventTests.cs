using SovereignTrajectories.Nostr.Auth;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Keys;

namespace SovereignTrajectories.Nostr.Tests.Auth;

public sealed class AuthEventTests : IDisposable
{
    private const string Relay = "wss://relay.example.com/";
    private const string Challenge = "challengestringhere";
    private const long Now = 1_700_000_000;

    // BIP-340 test vector 0's secret key: a public, throwaway key.
    private readonly SecretKey _key = SecretKey.FromHex("0000000000000000000000000000000000000000000000000000000000000003");

    public void Dispose() => _key.Dispose();

    private NostrEvent Signed(UnsignedEvent u) => EventSigner.Sign(u, _key);

    [Fact]
    public void Create_makes_a_kind_22242_event_with_relay_and_challenge_tags()
    {
        UnsignedEvent u = AuthEvent.Create(Relay, Challenge, Now);
        Assert.Equal(22242, u.Kind);
        Assert.Equal(Now, u.CreatedAt);
        Assert.Equal(string.Empty, u.Content);
        Assert.Equal(new TagList([new Tag("relay", Relay), new Tag("challenge", Challenge)]), u.Tags);
    }

    [Fact]
    public void Accepts_a_signed_answer_to_the_challenge()
    {
        NostrEvent e = Signed(AuthEvent.Create(Relay, Challenge, Now));
        Assert.Null(AuthEvent.Check(e, Relay, Challenge, Now));
    }

    [Fact]
    public void Rejects_another_kind()
    {
        NostrEvent e = Signed(AuthEvent.Create(Relay, Challenge, Now) with { Kind = 1 });
        Assert.Equal("auth event kind must be 22242, got 1", AuthEvent.Check(e, Relay, Challenge, Now));
    }

    [Fact]
    public void Rejects_a_missing_or_different_challenge()
    {
        NostrEvent none = Signed(new UnsignedEvent(Now, AuthEvent.Kind, [new Tag("relay", Relay)], string.Empty));
        Assert.Equal("auth event has no challenge tag", AuthEvent.Check(none, Relay, Challenge, Now));

        NostrEvent other = Signed(AuthEvent.Create(Relay, "other", Now));
        Assert.Equal("auth event answers a different challenge", AuthEvent.Check(other, Relay, Challenge, Now));
    }

    [Fact]
    public void Rejects_a_missing_or_different_relay()
    {
        NostrEvent none = Signed(new UnsignedEvent(Now, AuthEvent.Kind, [new Tag("challenge", Challenge)], string.Empty));
        Assert.Equal("auth event has no relay tag", AuthEvent.Check(none, Relay, Challenge, Now));

        NostrEvent other = Signed(AuthEvent.Create("wss://evil.example.com", Challenge, Now));
        Assert.Equal(
            "auth event is for relay 'wss://evil.example.com', not 'wss://relay.example.com/'",
            AuthEvent.Check(other, Relay, Challenge, Now));
    }

    [Fact]
    public void Allows_created_at_within_the_tolerance_and_no_further()
    {
        Assert.Null(AuthEvent.Check(Signed(AuthEvent.Create(Relay, Challenge, Now - 600)), Relay, Challenge, Now));
        Assert.Null(AuthEvent.Check(Signed(AuthEvent.Create(Relay, Challenge, Now + 600)), Relay, Challenge, Now));
        Assert.Equal(
            "auth event created_at is 601 s in the past; at most 600 s allowed",
            AuthEvent.Check(Signed(AuthEvent.Create(Relay, Challenge, Now - 601)), Relay, Challenge, Now));
        Assert.Equal(
            "auth event created_at is 11 s in the future; at most 10 s allowed",
            AuthEvent.Check(Signed(AuthEvent.Create(Relay, Challenge, Now + 11)), Relay, Challenge, Now, toleranceSeconds: 10));
    }

    [Fact]
    public void Rejects_a_forged_signature()
    {
        NostrEvent e = Signed(AuthEvent.Create(Relay, Challenge, Now));
        char last = e.Sig[^1] == '0' ? '1' : '0';
        NostrEvent forged = e with { Sig = e.Sig[..^1] + last };
        Assert.StartsWith("auth event fails verification", AuthEvent.Check(forged, Relay, Challenge, Now));
    }

    [Fact]
    public void Rejects_an_id_that_does_not_match_the_content()
    {
        NostrEvent e = Signed(AuthEvent.Create(Relay, Challenge, Now));
        NostrEvent changed = e with { Content = "x" };
        Assert.StartsWith("auth event fails verification", AuthEvent.Check(changed, Relay, Challenge, Now));
    }

    [Theory]
    [InlineData("wss://relay.example.com", "wss://relay.example.com/", true)]
    [InlineData("WSS://Relay.Example.COM/", "wss://relay.example.com", true)]
    [InlineData("wss://relay.example.com:443", "wss://relay.example.com", true)]
    [InlineData("wss://relay.example.com/nostr/", "wss://relay.example.com/nostr", true)]
    [InlineData("ws://relay.example.com", "wss://relay.example.com", false)]
    [InlineData("wss://relay.example.com:7777", "wss://relay.example.com", false)]
    [InlineData("wss://relay.example.com/a", "wss://relay.example.com/b", false)]
    [InlineData("not a url", "not a url", true)]
    public void Compares_relay_urls_by_what_names_the_relay(string a, string b, bool same)
    {
        Assert.Equal(same, AuthEvent.SameRelay(a, b));
    }
}
