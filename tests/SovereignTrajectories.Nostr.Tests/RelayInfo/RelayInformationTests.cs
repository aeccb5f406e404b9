using System.Runtime.CompilerServices;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.RelayInfo;

namespace SovereignTrajectories.Nostr.Tests.RelayInfo;

public sealed class RelayInformationTests
{
    private static string Vector(string name, [CallerFilePath] string caller = "") =>
        File.ReadAllText(Path.Combine(Path.GetDirectoryName(caller)!, "Vectors", name));

    private static NostrEvent Event(long createdAt = 1_700_000_000, string content = "hi", int tags = 1, string? id = null) =>
        new(id ?? new string('a', 64), new string('b', 64), createdAt, 39231,
            new TagList(Enumerable.Range(0, tags).Select(i => new Tag("t", i.ToString(System.Globalization.CultureInfo.InvariantCulture)))),
            content, new string('c', 128));

    [Fact]
    public void Reads_the_NIP11_example_document()
    {
        RelayInformation info = RelayInformation.Parse(Vector("nip11-eden-example.json"));

        Assert.Equal("nostr.land", info.Name);
        Assert.Equal("nostr.land family of relays (us-or-01)", info.Description);
        Assert.Equal("52b4a076bcbbbdc3a1aefa3735816cf74993b1b8db202b01c883c58be7fad8bd", info.PubKey);
        Assert.Equal("custom", info.Software);
        Assert.Equal("1.0.1", info.Version);
        Assert.Equal([1, 2, 4, 9, 11, 12, 16, 20, 22, 28, 33, 40], info.SupportedNips);
        Assert.True(info.Supports(40));
        Assert.False(info.Supports(42));
        Assert.Equal(
            new RelayLimitation { PaymentRequired = true, MaxMessageLength = 65535, MaxEventTags = 2000, MaxSubscriptions = 20, AuthRequired = false },
            info.Limitation);
    }

    [Fact]
    public void Reads_every_limitation_field_of_the_NIP11_example()
    {
        RelayLimitation l = RelayInformation.Parse(Vector("nip11-limitation-example.jsonc")).Limitation!;
        Assert.Equal(
            new RelayLimitation
            {
                MaxMessageLength = 16384,
                MaxSubscriptions = 20,
                MaxLimit = 5000,
                MaxSubidLength = 100,
                MaxEventTags = 100,
                MaxContentLength = 8196,
                MinPowDifficulty = 30,
                AuthRequired = true,
                PaymentRequired = true,
                RestrictedWrites = true,
                CreatedAtLowerLimit = 31536000,
                CreatedAtUpperLimit = 3,
            },
            l);
    }

    [Fact]
    public void Empty_document_has_no_limits_and_no_nips()
    {
        RelayInformation info = RelayInformation.Parse("{}");
        Assert.Empty(info.SupportedNips);
        Assert.Null(info.Limitation);
        Assert.Null(info.CheckEvent(Event(), 100_000_000, 0));
    }

    [Fact]
    public void Null_fields_count_as_absent_and_unknown_fields_are_ignored()
    {
        RelayInformation info = RelayInformation.Parse(
            "{\"name\":null,\"limitation\":{\"max_limit\":null,\"default_limit\":100,\"future_thing\":[1]},\"retention\":[{\"time\":null}]}");
        Assert.Null(info.Name);
        Assert.Equal(new RelayLimitation { DefaultLimit = 100 }, info.Limitation);
    }

    [Fact]
    public void Accepts_NIP_numbers_written_as_strings()
    {
        Assert.Equal([1, 11], RelayInformation.Parse("{\"supported_nips\":[1,\"11\"]}").SupportedNips);
    }

    [Theory]
    [InlineData("[]", "json")]
    [InlineData("{", "json")]
    [InlineData("{\"name\":5}", "name")]
    [InlineData("{\"pubkey\":{}}", "pubkey")]
    [InlineData("{\"supported_nips\":\"1,2\"}", "supported_nips")]
    [InlineData("{\"supported_nips\":[1,\"eleven\"]}", "supported_nips[1]")]
    [InlineData("{\"supported_nips\":[1.5]}", "supported_nips[0]")]
    [InlineData("{\"limitation\":true}", "limitation")]
    [InlineData("{\"limitation\":{\"max_message_length\":\"64k\"}}", "limitation.max_message_length")]
    [InlineData("{\"limitation\":{\"max_event_tags\":1.5}}", "limitation.max_event_tags")]
    [InlineData("{\"limitation\":{\"max_limit\":-1}}", "limitation.max_limit")]
    [InlineData("{\"limitation\":{\"max_limit\":99999999999}}", "limitation.max_limit")]
    [InlineData("{\"limitation\":{\"auth_required\":\"yes\"}}", "limitation.auth_required")]
    [InlineData("{\"limitation\":{\"created_at_lower_limit\":\"1y\"}}", "limitation.created_at_lower_limit")]
    public void Rejects_a_known_field_of_the_wrong_type_naming_it(string json, string field)
    {
        var e = Assert.Throws<RelayInformationFormatException>(() => RelayInformation.Parse(json));
        Assert.Equal(field, e.Field);
        Assert.Contains($"'{field}'", e.Message);
    }

    [Fact]
    public void Check_passes_an_event_within_every_limit()
    {
        var l = new RelayLimitation
        {
            MaxMessageLength = 1000,
            MaxEventTags = 1,
            MaxContentLength = 2,
            CreatedAtLowerLimit = 10,
            CreatedAtUpperLimit = 10,
        };
        Assert.Null(l.CheckEvent(Event(), 990, 1_700_000_000));
    }

    [Fact]
    public void Check_counts_the_EVENT_frame_around_the_event()
    {
        var l = new RelayLimitation { MaxMessageLength = 1000 };
        Assert.Null(l.CheckEvent(Event(), 990, 0));
        Assert.Equal("publish message is 1001 bytes; the relay's max_message_length is 1000", l.CheckEvent(Event(), 991, 0));
    }

    [Fact]
    public void Check_rejects_too_many_tags()
    {
        var l = new RelayLimitation { MaxEventTags = 2 };
        Assert.Null(l.CheckEvent(Event(tags: 2), 0, 0));
        Assert.Equal("event has 3 tags; the relay's max_event_tags is 2", l.CheckEvent(Event(tags: 3), 0, 0));
    }

    [Fact]
    public void Check_rejects_too_long_content()
    {
        var l = new RelayLimitation { MaxContentLength = 3 };
        Assert.Null(l.CheckEvent(Event(content: "abc"), 0, 0));
        Assert.Equal("content is 4 characters; the relay's max_content_length is 3", l.CheckEvent(Event(content: "abcd"), 0, 0));
    }

    [Fact]
    public void Check_rejects_created_at_outside_the_window_inclusive_at_the_edges()
    {
        var l = new RelayLimitation { CreatedAtLowerLimit = 100, CreatedAtUpperLimit = 5 };
        const long now = 1_700_000_000;
        Assert.Null(l.CheckEvent(Event(createdAt: now - 100), 0, now));
        Assert.Null(l.CheckEvent(Event(createdAt: now + 5), 0, now));
        Assert.Contains("101 s in the past", l.CheckEvent(Event(createdAt: now - 101), 0, now));
        Assert.Contains("6 s in the future", l.CheckEvent(Event(createdAt: now + 6), 0, now));
    }

    [Fact]
    public void Check_rejects_insufficient_proof_of_work()
    {
        var l = new RelayLimitation { MinPowDifficulty = 9 };
        Assert.Null(l.CheckEvent(Event(id: "007f" + new string('f', 60)), 0, 0));
        Assert.Equal(
            "id has 8 leading zero bits; the relay's min_pow_difficulty is 9 (NIP-13)",
            l.CheckEvent(Event(id: "00ff" + new string('f', 60)), 0, 0));
    }

    [Theory]
    [InlineData("ffff", 0)]
    [InlineData("7fff", 1)]
    [InlineData("0fff", 4)]
    [InlineData("0001", 15)]
    [InlineData("0000", 16)]
    public void Counts_leading_zero_bits_as_NIP13_does(string prefix, int bits)
    {
        string id = prefix + (bits == 16 ? new string('0', 60) : new string('f', 60));
        Assert.Equal(bits == 16 ? 256 : bits, RelayLimitation.LeadingZeroBits(id));
    }
}
