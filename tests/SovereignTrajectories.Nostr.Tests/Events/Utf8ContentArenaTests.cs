using System.Text;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Tests.CrossCheck;

namespace SovereignTrajectories.Nostr.Tests.Events;

/// <summary>
/// Parsing into a <see cref="Utf8ContentArena"/> changes how an event holds its content, never what it
/// says: the same events, hashes, ids, canonical JSON and rejections as parsing without one.
/// </summary>
public sealed class Utf8ContentArenaTests
{
    private const string Author = Nip01Vectors.PubKey;
    private static readonly string Sig = new('b', 128);

    [Fact]
    public void Random_events_parse_to_the_same_events_ids_and_hashes_with_and_without_an_arena()
    {
        var random = new RandomEvents(RandomEvents.ChooseSeed());
        var arena = new Utf8ContentArena();
        long expectedBytes = 0;
        for (int i = 0; i < 300; i++)
        {
            UnsignedEvent t = random.NextTemplate();
            byte[] json = Encoding.UTF8.GetBytes(CanonicalJson.Serialize(WithId(t.CreatedAt, t.Kind, t.Tags, t.Content)));
            byte[] plainId = new byte[32];
            NostrEvent plain = EventParser.Parse(json, plainId);
            byte[] arenaId = new byte[32];
            Assert.True(EventParser.TryParse(json, arenaId, new EventValuePool(), arena, out NostrEvent? held, out EventFormatException? error), $"event {i}: {error?.Message}, {random.Replay}");

            Assert.True(held.TryGetContentUtf8(out ReadOnlyMemory<byte> utf8), random.Replay);
            Assert.Equal(Encoding.UTF8.GetBytes(t.Content), utf8.ToArray());
            Assert.False(plain.TryGetContentUtf8(out _));
            Assert.Equal(t.Content, held.Content);
            Assert.True(plain == held, $"event {i}, {random.Replay}");
            Assert.True(held == plain, $"event {i}, {random.Replay}");
            Assert.Equal(plain.GetHashCode(), held.GetHashCode());
            Assert.Equal(plainId, arenaId);
            Assert.Equal(CanonicalJson.Serialize(plain), CanonicalJson.Serialize(held));
            expectedBytes += utf8.Length;
        }

        Assert.Equal(expectedBytes, arena.BytesHeld);
    }

    [Theory]
    [InlineData("plain text")]
    [InlineData("")]
    [InlineData("{\\\"type\\\":\\\"tool\\\",\\\"output\\\":\\\"a\\\\nb\\\"}")]
    [InlineData("caf\\u00e9 \\ud83d\\ude00 \\/ \\u0041 \\t")]
    public void Escaped_and_non_canonical_contents_give_the_id_of_the_text(string spelled)
    {
        // Written by hand, so the escapes are the ones given (\u0041 and \/ are not how NIP-01 writes them).
        string json = $"{{\"id\":\"{new string('1', 64)}\",\"pubkey\":\"{Author}\",\"created_at\":1,\"kind\":1,\"tags\":[],\"content\":\"{spelled}\",\"sig\":\"{Sig}\"}}";
        byte[] utf8 = Encoding.UTF8.GetBytes(json);
        byte[] plainId = new byte[32];
        NostrEvent plain = EventParser.Parse(utf8, plainId);
        byte[] arenaId = new byte[32];
        NostrEvent held = EventParser.Parse(utf8, arenaId, null, new Utf8ContentArena());

        Assert.Equal(plain.Content, held.Content);
        Assert.Equal(plain, held);
        Assert.Equal(plainId, arenaId);
        Assert.Equal(EventId.Compute(Author, 1, 1, TagList.Empty, plain.Content), Convert.ToHexStringLower(arenaId));
    }

    [Fact]
    public void Contents_larger_than_a_quarter_block_and_many_small_ones_stay_intact()
    {
        var arena = new Utf8ContentArena();
        string big = string.Concat(Enumerable.Repeat("\u00e9xyz\U0001F600", Utf8ContentArena.BlockBytes / 8));
        NostrEvent large = Parse(big, arena);

        // Enough small contents to fill several blocks, from many threads at once.
        string[] texts = Enumerable.Range(0, 5000).Select(i => $"step {i}: " + new string((char)('a' + (i % 26)), 500 + (i % 300))).ToArray();
        var parsed = new NostrEvent[texts.Length];
        Parallel.For(0, texts.Length, i => parsed[i] = Parse(texts[i], arena));

        Assert.Equal(big, large.Content);
        Assert.Equal(texts, parsed.Select(e => e.Content));
        Assert.True(arena.BytesHeld > 2L * Utf8ContentArena.BlockBytes);
    }

    [Theory]
    [InlineData("\\ud800")]
    [InlineData("x\\udc00y")]
    [InlineData("\\ud83d\\u0041")]
    public void Lone_surrogate_escapes_are_rejected_exactly_as_without_an_arena(string spelled)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes($"{{\"content\":\"{spelled}\"}}");
        var plain = Assert.Throws<EventFormatException>(() => EventParser.Parse(utf8, new byte[32]));
        Assert.False(EventParser.TryParse(utf8, new byte[32], null, new Utf8ContentArena(), out NostrEvent? none, out EventFormatException? error));
        Assert.Null(none);
        Assert.Equal("content", error!.Field);
        Assert.Equal(plain.Field, error.Field);
        Assert.Equal(plain.Message, error.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xC3 })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    [InlineData(new byte[] { 0x5C, 0x6E, 0xC0, 0xAF })]
    public void Invalid_utf8_in_a_content_is_rejected_exactly_as_without_an_arena(byte[] bytes)
    {
        byte[] utf8 = [.. "{\"content\":\"a"u8, .. bytes, .. "b\"}"u8];
        var plain = Assert.Throws<EventFormatException>(() => EventParser.Parse(utf8, new byte[32]));
        Assert.False(EventParser.TryParse(utf8, new byte[32], null, new Utf8ContentArena(), out _, out EventFormatException? error));
        Assert.Equal("content", error!.Field);
        Assert.Equal(plain.Message, error.Message);
    }

    [Fact]
    public void Text_with_a_lone_surrogate_never_equals_bytes_holding_a_replacement_character()
    {
        NostrEvent held = Parse("a\uFFFDb", new Utf8ContentArena());
        NostrEvent built = held with { Content = "a\uD800b" };
        NostrEvent same = held with { Content = "a\uFFFDb" };

        Assert.NotEqual(held, built);
        Assert.NotEqual(built, held);
        Assert.Equal(held, same);
        Assert.False(same.TryGetContentUtf8(out _));
    }

    private static NostrEvent Parse(string content, Utf8ContentArena arena)
    {
        string json = CanonicalJson.Serialize(WithId(1, 1, TagList.Empty, content));
        NostrEvent e = EventParser.Parse(Encoding.UTF8.GetBytes(json), new byte[32], null, arena);
        Assert.True(e.TryGetContentUtf8(out _));
        return e;
    }

    private static NostrEvent WithId(long createdAt, int kind, TagList tags, string content) =>
        new(EventId.Compute(Author, createdAt, kind, tags, content), Author, createdAt, kind, tags, content, Sig);
}
