using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Trajectories.Model;
using SovereignTrajectories.Trajectories.Receipts;

namespace SovereignTrajectories.Trajectories.Tests.Receipts;

public sealed class TickReceiptTests
{
    private static readonly string SessionEventId = new('a', 64);
    private static readonly string Hash = new('b', 64);
    private static readonly string Root = new('c', 64);
    private static readonly string Digest = new('d', 64);

    [Fact]
    public void Builds_tags_in_profile_order_and_parses_back_to_the_same_receipt()
    {
        using SecretKey key = SecretKey.Generate();
        TickReceipt receipt = Sample(key.PublicKey.Hex);

        NostrEvent signed = EventSigner.Sign(TickReceiptBuilder.Build(receipt, 1_700_000_100), key);
        TickReceipt parsed = TickReceiptParser.Parse(signed);

        Assert.Equal(39211, signed.Kind);
        Assert.Equal(
            ["d", "a", "trajectory", "trajectory_hash", "merkle_root", "status", "verification", "amount", "alt"],
            signed.Tags.Select(t => t.Name));
        Assert.Equal(receipt, parsed);
        Assert.True(EventVerifier.Verify(signed).IsValid);
    }

    [Fact]
    public void Writes_the_usage_summary_as_compact_json_content()
    {
        string content = TickReceiptBuilder.WriteContent(new TickReceiptSummary(3, new Usage(10, 20, 5, 0.0125m), 900));

        Assert.Equal("{\"total_events\":3,\"usage\":{\"tokens_in\":10,\"tokens_out\":20,\"tokens_cached\":5,\"cost_usd\":0.0125},\"duration_ms\":900}", content);
    }

    [Fact]
    public void Omits_optional_tags_for_an_empty_unpaid_run_without_verification()
    {
        using SecretKey key = SecretKey.Generate();
        TickReceipt receipt = Sample(key.PublicKey.Hex) with
        {
            TrajectoryHash = null, MerkleRoot = null, MerkleSize = 0, VerificationPassed = null, VerificationDigest = null,
            AmountMsat = null, Bolt11 = null, TrajectoryRelay = null, Status = TickStatus.Timeout,
        };

        NostrEvent signed = EventSigner.Sign(TickReceiptBuilder.Build(receipt, 1_700_000_100), key);

        Assert.Equal(["d", "a", "trajectory", "status", "alt"], signed.Tags.Select(t => t.Name));
        Assert.Equal(receipt, TickReceiptParser.Parse(signed));
    }

    [Fact]
    public void Builder_rejects_a_coordinate_for_another_session()
    {
        TickReceipt receipt = Sample(new string('e', 64)) with { SessionCoordinate = $"39230:{new string('e', 64)}:other" };

        var ex = Assert.Throws<ArgumentException>(() => TickReceiptBuilder.Build(receipt, 1));

        Assert.Contains("session coordinate", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Builder_rejects_a_verdict_without_its_digest()
    {
        TickReceipt receipt = Sample(new string('e', 64)) with { VerificationDigest = null };

        var ex = Assert.Throws<ArgumentException>(() => TickReceiptBuilder.Build(receipt, 1));

        Assert.Contains("verification verdict and digest", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("d", null, "tag d: is missing")]
    [InlineData("a", "39230:abc:run-1", "tag a: '39230:abc:run-1' is not a session coordinate")]
    [InlineData("trajectory", "XYZ", "tag trajectory: 'XYZ' is not 64 lower-case hex")]
    [InlineData("trajectory_hash", "sha256:bbbb", "tag trajectory_hash:")]
    [InlineData("merkle_root", "short", "tag merkle_root:")]
    [InlineData("status", "done", "tag status: 'done' is not success, failure or timeout")]
    [InlineData("verification", "maybe", "tag verification: 'maybe' is not passed or failed")]
    [InlineData("amount", "-5", "tag amount: '-5' is not a non-negative integer")]
    public void Parser_rejects_a_malformed_tag_naming_the_event_and_the_tag(string tagName, string? replacement, string expected)
    {
        using SecretKey key = SecretKey.Generate();
        UnsignedEvent template = TickReceiptBuilder.Build(Sample(key.PublicKey.Hex), 1_700_000_100);
        var tags = template.Tags
            .Select(t => t.Name != tagName ? t : replacement is null ? null : new Tag([t.Name, replacement, .. t.Values.Skip(2)]))
            .OfType<Tag>();
        NostrEvent signed = EventSigner.Sign(template with { Tags = new TagList(tags) }, key);

        var ex = Assert.Throws<TickReceiptFormatException>(() => TickReceiptParser.Parse(signed));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains(signed.Id, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parser_rejects_another_kind()
    {
        using SecretKey key = SecretKey.Generate();
        UnsignedEvent template = TickReceiptBuilder.Build(Sample(key.PublicKey.Hex), 1_700_000_100) with { Kind = 39230 };

        var ex = Assert.Throws<TickReceiptFormatException>(() => TickReceiptParser.Parse(EventSigner.Sign(template, key)));

        Assert.Equal("kind", ex.Field);
    }

    [Theory]
    [InlineData("not json", "content: is not valid JSON")]
    [InlineData("[1]", "content: must be a JSON object")]
    [InlineData("{\"total_events\":-1}", "content.total_events: must be a non-negative integer")]
    [InlineData("{\"usage\":{\"cost_usd\":\"1\"}}", "content.usage.cost_usd: must be a non-negative number")]
    public void Parser_rejects_malformed_content_naming_the_field(string content, string expected)
    {
        using SecretKey key = SecretKey.Generate();
        UnsignedEvent template = TickReceiptBuilder.Build(Sample(key.PublicKey.Hex), 1_700_000_100) with { Content = content };

        var ex = Assert.Throws<TickReceiptFormatException>(() => TickReceiptParser.Parse(EventSigner.Sign(template, key)));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parser_ignores_unknown_tags_and_content_keys()
    {
        using SecretKey key = SecretKey.Generate();
        UnsignedEvent template = TickReceiptBuilder.Build(Sample(key.PublicKey.Hex), 1_700_000_100);
        template = template with
        {
            Tags = new TagList([.. template.Tags, new Tag("t", "agents")]),
            Content = "{\"total_events\":4,\"model\":\"m\",\"usage\":{\"tokens_in\":1,\"extra\":true}}",
        };

        TickReceipt parsed = TickReceiptParser.Parse(EventSigner.Sign(template, key));

        Assert.Equal(new TickReceiptSummary(4, new Usage(1, 0, 0, 0m)), parsed.Summary);
    }

    private static TickReceipt Sample(string pubKey) => new(
        "run-1",
        $"39230:{pubKey}:run-1",
        SessionEventId,
        "wss://relay.example",
        Hash,
        Root,
        4,
        TickStatus.Success,
        true,
        Digest,
        21_000,
        "lnbc210n1fake",
        new TickReceiptSummary(4, new Usage(100, 50, 10, 0.02m), 1234));
}
