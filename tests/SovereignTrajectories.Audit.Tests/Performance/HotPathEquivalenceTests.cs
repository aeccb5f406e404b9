using System.Text;
using SovereignTrajectories.Audit.Fetching;
using SovereignTrajectories.Audit.Tests.Tamper;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Trajectories.Mapping;

namespace SovereignTrajectories.Audit.Tests.Performance;

/// <summary>
/// The verifier's fast paths (a shared cache of parsed author keys, lazily named parser errors, shared
/// tag and id instances in the archive reader) must give exactly the answers of the plain paths.
/// </summary>
public sealed class HotPathEquivalenceTests
{
    // x = 5 is not the x coordinate of any secp256k1 point (5^3 + 7 = 132 is not a square mod p).
    private const string OffCurveKey = "0000000000000000000000000000000000000000000000000000000000000005";

    [Fact]
    public void Key_cache_gives_the_same_verdict_and_reason_as_plain_verification()
    {
        using SecretKey key = SecretKey.Generate();
        NostrEvent valid = EventSigner.Sign(new UnsignedEvent(1_700_000_000, 1, TagList.Empty, "hello"), key);
        NostrEvent other = EventSigner.Sign(new UnsignedEvent(1_700_000_001, 1, TagList.Empty, "again"), key);
        NostrEvent badSig = valid with { Sig = other.Sig };
        NostrEvent badId = valid with { Content = "changed" };
        NostrEvent upperKey = valid with { PubKey = valid.PubKey.ToUpperInvariant() };
        NostrEvent offCurve = valid with { PubKey = OffCurveKey };
        NostrEvent offCurveRehashed = offCurve with { Id = EventId.Compute(offCurve) };
        NostrEvent nullKey = valid with { PubKey = null! };
        NostrEvent[] events = [valid, badSig, badId, upperKey, nullKey, offCurveRehashed, offCurveRehashed, other, valid];

        var cache = new EventVerifier.PublicKeyCache();
        foreach (NostrEvent e in events)
        {
            Assert.Equal(EventVerifier.Verify(e), EventVerifier.Verify(e, cache));
        }

        Assert.True(EventVerifier.Verify(valid, cache).IsValid);
        Assert.Equal("pubkey is not a valid x-only key", EventVerifier.Verify(offCurveRehashed, cache).Reason);
        Assert.Equal("bad signature", EventVerifier.Verify(badSig, cache).Reason);

        // The agent key and the off-curve key; the upper-case spelling is rejected before the cache.
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void Key_cache_stops_growing_at_its_capacity_and_still_verifies_new_authors()
    {
        var cache = new EventVerifier.PublicKeyCache(capacity: 2);
        for (int i = 0; i < 4; i++)
        {
            using SecretKey key = SecretKey.Generate();
            NostrEvent e = EventSigner.Sign(new UnsignedEvent(1_700_000_000 + i, 1, TagList.Empty, $"author {i}"), key);
            Assert.True(EventVerifier.Verify(e, cache).IsValid);
            Assert.False(EventVerifier.Verify(e with { Content = "forged" }, cache).IsValid);
        }

        Assert.Equal(2, cache.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => new EventVerifier.PublicKeyCache(capacity: 0));
    }

    [Theory]
    [InlineData("[[\"a\",1]]", "tags[0][1]", "must be a string, found a number")]
    [InlineData("[[\"a\"],[\"b\",\"c\",null]]", "tags[1][2]", "must be a string, found null")]
    [InlineData("[[\"a\"],[]]", "tags[1]", "is empty")]
    [InlineData("[[\"a\"],{}]", "tags[1]", "must be an array of strings, found an object")]
    [InlineData("[[\"a\",\"\\ud800\"]]", "tags[0][1]", "lone surrogate")]
    public void Tag_errors_still_name_the_exact_tag_and_element(string tags, string field, string reason)
    {
        string json = "{\"id\":\"" + new string('0', 64) + "\",\"pubkey\":\"" + new string('1', 64) + "\",\"created_at\":1,\"kind\":1,\"tags\":" + tags + ",\"content\":\"\",\"sig\":\"" + new string('2', 128) + "\"}";
        EventFormatException ex = Assert.Throws<EventFormatException>(() => EventParser.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.Contains(field, ex.Message, StringComparison.Ordinal);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Archive_reader_returns_events_equal_to_a_plain_parse_with_repeated_tags_and_ids_shared()
    {
        using SecretKey key = SecretKey.Generate();
        MappedTrajectory run = SampleRun.Publish(key, "shared-run").Mapped;
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(file, run.Events.Select(CanonicalJson.Serialize));
            var failures = new List<EventParseFailure>();
            List<NostrEvent> read = ArchiveEventSource.ReadFile(file, failures, CancellationToken.None);
            Assert.Empty(failures);
            Assert.Equal(File.ReadAllLines(file).Select(l => EventParser.Parse(l)), read);
            Assert.All(read, e => Assert.True(EventVerifier.IsValid(e)));

            List<NostrEvent> steps = read.Where(e => TrajectoryKinds.IsStep(e.Kind)).OrderBy(e => e.CreatedAt).ToList();
            Assert.True(steps.Count >= 3);
            Assert.Same(steps[0].Tags.Find("a"), steps[1].Tags.Find("a"));
            Assert.Same(steps[0].PubKey, steps[2].PubKey);

            // The reply tag's id is the very string of the step it replies to.
            Dictionary<string, NostrEvent> byId = read.ToDictionary(e => e.Id, StringComparer.Ordinal);
            int sharedReplies = steps
                .Select(s => s.Tags.All("e").FirstOrDefault(t => t.Count >= 4 && t[3] == "reply")?.Value)
                .Count(id => id is not null && byId.TryGetValue(id, out NostrEvent? target) && ReferenceEquals(target.Id, id));
            Assert.Equal(steps.Count - 1, sharedReplies);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
