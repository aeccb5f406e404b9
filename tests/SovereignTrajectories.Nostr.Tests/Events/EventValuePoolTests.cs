using System.Text;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Tests.CrossCheck;

namespace SovereignTrajectories.Nostr.Tests.Events;

/// <summary>
/// Parsing with an <see cref="EventValuePool"/> changes which instances an event holds, never what it
/// says: the same events, ids, canonical JSON and rejections as parsing without one.
/// </summary>
public sealed class EventValuePoolTests
{
    private const string Author = Nip01Vectors.PubKey;
    private static readonly string Sig = new('b', 128);
    private static readonly string Coordinate = "39230:" + Author + ":run";

    [Fact]
    public void Random_events_parse_to_the_same_events_and_ids_with_and_without_a_pool()
    {
        var random = new RandomEvents(RandomEvents.ChooseSeed());

        // d, e and t are the names the generator uses: every kind of tag goes through the pooled paths.
        var pools = new[] { new EventValuePool(), new EventValuePool(["d", "e", "t"]) };
        for (int i = 0; i < 300; i++)
        {
            UnsignedEvent t = random.NextTemplate();
            byte[] json = Encoding.UTF8.GetBytes(CanonicalJson.Serialize(WithId(t.CreatedAt, t.Kind, t.Tags, t.Content)));
            byte[] plainId = new byte[32];
            NostrEvent plain = EventParser.Parse(json, plainId);
            foreach (EventValuePool pool in pools)
            {
                byte[] sharedId = new byte[32];
                Assert.True(EventParser.TryParse(json, sharedId, pool, out NostrEvent? shared, out EventFormatException? error), $"event {i}: {error?.Message}, {random.Replay}");
                Assert.True(plain == shared, $"event {i}, {random.Replay}");
                Assert.Equal(plainId, sharedId);
                Assert.Equal(CanonicalJson.Serialize(plain), CanonicalJson.Serialize(shared));
            }
        }
    }

    [Fact]
    public void Repeated_values_are_one_instance_and_unique_ones_are_not_pooled()
    {
        var pool = new EventValuePool(["a", "session"]);
        NostrEvent root = Parse(Step(1, null), pool);
        NostrEvent first = Parse(Step(2, root.Id), pool);
        NostrEvent second = Parse(Step(3, first.Id), pool);

        Assert.Same(root.PubKey, second.PubKey);
        Assert.Same(first.Tags.Find("a"), second.Tags.Find("a"));
        Assert.Same(first.Tags.Find("session"), second.Tags.Find("session"));
        Assert.Same(Root(first), Root(second));

        // A reply's e tag holds the very string of the event it names.
        Assert.Same(first.Id, Reply(second).Value);
        Assert.Same(root.Id, Reply(first).Value);

        // Unique tags stay each event's own, with names from the parser's fixed list.
        Assert.NotSame(first.Tags.Find("d"), second.Tags.Find("d"));
        Assert.Same(first.Tags.Find("d")!.Name, second.Tags.Find("d")!.Name);

        // Without a pool every event has its own copies.
        NostrEvent alone = EventParser.Parse(Encoding.UTF8.GetBytes(Step(3, first.Id)), new byte[32]);
        Assert.Equal(second, alone);
        Assert.NotSame(second.PubKey, alone.PubKey);
        Assert.NotSame(second.Tags.Find("a"), alone.Tags.Find("a"));
    }

    [Fact]
    public void Forgotten_ids_are_made_again_and_still_equal()
    {
        var pool = new EventValuePool();
        NostrEvent first = Parse(Step(2, new string('9', 64)), pool);
        pool.ForgetIds();
        NostrEvent second = Parse(Step(3, first.Id), pool);
        Assert.Equal(first.Id, Reply(second).Value);
        Assert.NotSame(first.Id, Reply(second).Value);

        // Whole tags and the pubkey outlive the ids.
        Assert.Same(first.PubKey, second.PubKey);
        Assert.Same(first.Tags.Find("a"), second.Tags.Find("a"));
    }

    [Fact]
    public void One_pool_serves_many_threads()
    {
        var pool = new EventValuePool(["a", "session"]);
        string[] lines = new string[2000];
        string previous = new('7', 64);
        for (int i = 0; i < lines.Length; i++)
        {
            lines[i] = Step(i + 2, previous);
            previous = EventParser.Parse(lines[i]).Id;
        }

        var parsed = new NostrEvent[lines.Length];
        Parallel.For(0, lines.Length, i => parsed[i] = EventParser.Parse(Encoding.UTF8.GetBytes(lines[i]), new byte[32], pool));
        Assert.Equal(lines.Select(EventParser.Parse), parsed);
        Assert.All(parsed, e => Assert.Same(parsed[0].Tags.Find("a"), e.Tags.Find("a")));
        for (int i = 1; i < parsed.Length; i++)
        {
            Assert.Same(parsed[i - 1].Id, Reply(parsed[i]).Value);
        }
    }

    [Theory]
    [InlineData("{\"id\":\"ab\"}")]
    [InlineData("{\"tags\":[[]]}")]
    [InlineData("{\"tags\":[[\"a\",\"\\ud800\"]]}")]
    [InlineData("{\"tags\":[[\"\\ud800\"]]}")]
    [InlineData("{\"tags\":[[\"zz\",\"\\udc00x\"]]}")]
    [InlineData("{\"tags\":[[\"a\",1]]}")]
    [InlineData("{\"tags\":[[\"e\",\"x\",null]]}")]
    [InlineData("{\"tags\":[[\"a\",\"x\"")]
    [InlineData("{\"content\":\"x\",\"content\":\"y\"}")]
    public void Malformed_input_is_rejected_exactly_as_without_a_pool(string json)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(json);
        var plain = Assert.Throws<EventFormatException>(() => EventParser.Parse(utf8, new byte[32]));
        Assert.False(EventParser.TryParse(utf8, new byte[32], new EventValuePool(["a", "zz"]), out NostrEvent? none, out EventFormatException? error));
        Assert.Null(none);
        Assert.Equal(plain.Field, error!.Field);
        Assert.Equal(plain.Message, error.Message);
    }

    [Theory]
    [InlineData("id", "F9308A019258C31049344F85F89D5229B531C845836F99B08601F113BCE036F9")]
    [InlineData("id", "f9308a01")]
    [InlineData("pubkey", "f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036fz")]
    [InlineData("pubkey", "\\u00669308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9")]
    public void Ids_and_pubkeys_the_pool_cannot_take_are_checked_as_without_one(string field, string spelled)
    {
        string json = Step(2, new string('1', 64)).Replace($"\"{field}\":\"", $"\"{field}\":\"{spelled}\",\"x{field}\":\"", StringComparison.Ordinal);
        byte[] utf8 = Encoding.UTF8.GetBytes(json);
        EventFormatException? plainError = null;
        EventParser.TryParse(utf8, new byte[32], out NostrEvent? plain, out plainError);
        EventParser.TryParse(utf8, new byte[32], new EventValuePool(), out NostrEvent? pooled, out EventFormatException? pooledError);
        Assert.Equal(plain, pooled);
        Assert.Equal(plainError?.Message, pooledError?.Message);
    }

    [Fact]
    public void Long_and_escaped_values_of_shared_tags_are_shared_by_value()
    {
        string longValue = new('x', EventValuePool.MaxTextLength + 10);
        var tags = new TagList([new Tag("a", longValue), new Tag("a", "caf\u00e9 \U0001F600 \"q\"")]);
        string json = CanonicalJson.Serialize(WithId(1, 1, tags, "")).Replace("caf\u00e9", "caf\\u00e9", StringComparison.Ordinal);
        var pool = new EventValuePool();
        byte[] id = new byte[32];
        NostrEvent first = EventParser.Parse(Encoding.UTF8.GetBytes(json), id, pool);
        NostrEvent again = EventParser.Parse(Encoding.UTF8.GetBytes(json), new byte[32], pool);
        Assert.Equal(tags, first.Tags);
        Assert.Equal(first.Id, Convert.ToHexStringLower(id));
        Assert.Same(first.Tags[0], again.Tags[0]);
        Assert.Same(first.Tags[1], again.Tags[1]);
    }

    private static NostrEvent Parse(string json, EventValuePool pool)
    {
        byte[] id = new byte[32];
        NostrEvent e = EventParser.Parse(Encoding.UTF8.GetBytes(json), id, pool);
        Assert.Equal(e.Id, Convert.ToHexStringLower(id));
        return e;
    }

    private static Tag Root(NostrEvent e) => e.Tags.All("e").FirstWith(3, "root")!;

    private static Tag Reply(NostrEvent e) => e.Tags.All("e").FirstWith(3, "reply")!;

    /// <summary>A step as an archive holds it: first step (no reply) when <paramref name="replyTo"/> is null.</summary>
    private static string Step(int seq, string? replyTo)
    {
        var tags = new List<Tag>
        {
            new("d", $"run:{seq}"),
            new("a", Coordinate, ""),
            new("session", "run"),
            new("seq", seq.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("e", new string('5', 64), "", "root"),
        };
        if (replyTo is not null)
        {
            tags.Add(new Tag("e", replyTo, "", "reply"));
        }

        return CanonicalJson.Serialize(WithId(1700000000 + seq, 39231, new TagList(tags), $"{{\"step\":{seq}}}"));
    }

    private static NostrEvent WithId(long createdAt, int kind, TagList tags, string content) =>
        new(EventId.Compute(Author, createdAt, kind, tags, content), Author, createdAt, kind, tags, content, Sig);
}
