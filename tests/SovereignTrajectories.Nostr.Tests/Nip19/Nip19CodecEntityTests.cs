using System.Text.Json;
using SovereignTrajectories.Nostr.Nip19;

namespace SovereignTrajectories.Nostr.Tests.Nip19;

public sealed class Nip19CodecEntityTests
{
    private const string PubKey = "3bf0c63fcb93463407af97a5e5ee64fa883d107ef9e558472c4eb9aaaefa459d";
    private const string EventId = "b9f5441e45ca39179320e0031cfb18e34078673dcc3d3e3a3b3a981760aa5696";

    [Fact]
    public void Decodes_the_NIP19_nprofile_example_and_encodes_it_back()
    {
        string[] row = Nip19Vectors.Rows("nip19-examples.tsv").Single(r => r[0] == "nprofile");
        var expected = new NProfile(row[2], row[3].Split(','));

        Nip19Entity decoded = Nip19Codec.Decode(row[1]);

        Assert.Equal(expected, decoded);
        Assert.Equal(row[1], Nip19Codec.Encode(expected));
    }

    [Fact]
    public void Decodes_bare_entities_through_the_generic_decoder()
    {
        string npub = Nip19Codec.EncodeNpub(Convert.FromHexString(PubKey));
        Assert.Equal(new NPub(PubKey), Nip19Codec.Decode(npub));
        Assert.Equal(new Note(EventId), Nip19Codec.Decode(Nip19Codec.EncodeNote(Convert.FromHexString(EventId))));
        var nsec = Assert.IsType<NSec>(Nip19Codec.Decode(Nip19Codec.EncodeNsec(new byte[32])));
        Assert.Equal(new byte[32], nsec.SecretKey.ToArray());
    }

    [Fact]
    public void Accepts_a_nostr_uri_prefix()
    {
        string npub = Nip19Codec.EncodeNpub(Convert.FromHexString(PubKey));
        Assert.Equal(new NPub(PubKey), Nip19Codec.Decode("nostr:" + npub));
        Assert.Equal(Convert.FromHexString(PubKey), Nip19Codec.DecodeNpub("nostr:" + npub));
    }

    public static TheoryData<Nip19Entity> Entities() => new()
    {
        new NPub(PubKey),
        new Note(EventId),
        new NProfile(PubKey, []),
        new NProfile(PubKey, ["wss://relay.example.com", "wss://other.example"]),
        new NEvent(EventId, [], null, null),
        new NEvent(EventId, ["wss://relay.example.com"], PubKey, 39230),
        new NEvent(EventId, [], null, 1),
        new NAddr("run-42", PubKey, 39230, ["wss://relay.example.com"]),
        new NAddr(string.Empty, PubKey, 30023, []),
        new NAddr("ünïcödé ✓", PubKey, 39231, []),
    };

    [Theory]
    [MemberData(nameof(Entities))]
    public void Round_trips_every_entity_kind(Nip19Entity entity)
    {
        string text = Nip19Codec.Encode(entity);
        Assert.StartsWith(entity.Prefix + "1", text);
        Assert.Equal(entity, Nip19Codec.Decode(text));
    }

    [Fact]
    public void Reports_a_truncated_TLV_with_the_declared_and_remaining_length()
    {
        byte[] tlv = [0, 32, 1, 2, 3, 4, 5];
        var e = Assert.Throws<Nip19Exception>(() => Nip19Codec.Decode(Bech32.Encode("nprofile", tlv)));
        Assert.Equal("nprofile: truncated TLV: type 0 says 32 bytes, 5 left", e.Message);
    }

    [Fact]
    public void Reports_a_TLV_cut_inside_its_header()
    {
        byte[] tlv = [0, 32, .. new byte[32], 1];
        var e = Assert.Throws<Nip19Exception>(() => Nip19Codec.Decode(Bech32.Encode("nevent", tlv)));
        Assert.Contains("truncated TLV", e.Message);
    }

    [Fact]
    public void Ignores_unknown_TLV_types()
    {
        byte[] pub = Convert.FromHexString(PubKey);
        byte[] tlv = [9, 3, 7, 7, 7, 0, 32, .. pub, 200, 0, 1, 3, (byte)'w', (byte)'s', (byte)':'];
        var decoded = Nip19Codec.Decode(Bech32.Encode("nprofile", tlv));
        Assert.Equal(new NProfile(PubKey, ["ws:"]), decoded);
    }

    [Fact]
    public void Rejects_an_naddr_without_kind()
    {
        byte[] tlv = [0, 1, (byte)'x', 2, 32, .. Convert.FromHexString(PubKey)];
        var e = Assert.Throws<Nip19Exception>(() => Nip19Codec.Decode(Bech32.Encode("naddr", tlv, Bech32Variant.Bech32)));
        Assert.Equal("naddr: missing kind (TLV type 3)", e.Message);
    }

    [Fact]
    public void Rejects_an_naddr_without_author()
    {
        byte[] tlv = [0, 1, (byte)'x', 3, 4, 0, 0, 0x99, 0x1e];
        var e = Assert.Throws<Nip19Exception>(() => Nip19Codec.Decode(Bech32.Encode("naddr", tlv)));
        Assert.Equal("naddr: missing author (TLV type 2)", e.Message);
    }

    [Fact]
    public void Rejects_an_nevent_whose_author_is_not_32_bytes()
    {
        byte[] tlv = [0, 32, .. new byte[32], 2, 5, 1, 2, 3, 4, 5];
        var e = Assert.Throws<Nip19Exception>(() => Nip19Codec.Decode(Bech32.Encode("nevent", tlv)));
        Assert.Equal("nevent: author (TLV type 2) must be 32 bytes, got 5", e.Message);
    }

    [Fact]
    public void Rejects_a_kind_that_is_not_four_bytes()
    {
        byte[] tlv = [0, 32, .. new byte[32], 3, 2, 0, 1];
        var e = Assert.Throws<Nip19Exception>(() => Nip19Codec.Decode(Bech32.Encode("nevent", tlv)));
        Assert.Equal("nevent: kind (TLV type 3) must be 4 bytes, got 2", e.Message);
    }

    [Fact]
    public void Rejects_an_unknown_prefix()
    {
        var e = Assert.Throws<Nip19Exception>(() => Nip19Codec.Decode(Bech32.Encode("lnbc", new byte[4])));
        Assert.Equal("unknown NIP-19 prefix 'lnbc'", e.Message);
    }

    [Fact]
    public void Rejects_a_TLV_entity_with_a_bad_checksum()
    {
        string good = Nip19Codec.Encode(new NEvent(EventId, ["wss://r.example"], null, null));
        string bad = good[..^1] + (good[^1] == 'q' ? 'p' : 'q');
        var e = Assert.Throws<Nip19Exception>(() => Nip19Codec.Decode(bad));
        Assert.Contains("bad checksum", e.Message);
    }

    [Fact]
    public void Nsec_entity_never_prints_its_key()
    {
        byte[] key = Enumerable.Repeat((byte)0xab, 32).ToArray();
        var nsec = new NSec(key);
        Assert.DoesNotContain("ab", nsec.ToString().Replace("redacted", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("redacted", nsec.ToString());
    }

    [Fact]
    public void Encoding_rejects_a_pubkey_that_is_not_lower_case_hex()
    {
        var e = Assert.Throws<ArgumentException>(() => Nip19Codec.Encode(new NPub(PubKey.ToUpperInvariant())));
        Assert.Contains("pubkey must be 64 lower-case hex", e.Message);
    }

    [Fact]
    public void Decodes_what_nostr_tools_encodes()
    {
        int seen = 0;
        foreach (string[] row in Nip19Vectors.Rows("nip19-nostr-tools.tsv"))
        {
            using JsonDocument doc = JsonDocument.Parse(row[1]);
            JsonElement j = doc.RootElement;
            string[] relays = j.GetProperty("relays").EnumerateArray().Select(r => r.GetString()!).ToArray();
            Nip19Entity expected = row[0] switch
            {
                "nprofile" => new NProfile(j.GetProperty("pubkey").GetString()!, relays),
                "nevent" => new NEvent(
                    j.GetProperty("id").GetString()!,
                    relays,
                    j.TryGetProperty("author", out JsonElement a) ? a.GetString() : null,
                    j.TryGetProperty("kind", out JsonElement k) ? k.GetInt32() : null),
                "naddr" => new NAddr(j.GetProperty("identifier").GetString()!, j.GetProperty("pubkey").GetString()!, j.GetProperty("kind").GetInt32(), relays),
                _ => throw new InvalidOperationException(row[0]),
            };

            Nip19Entity decoded = Nip19Codec.Decode(row[2]);
            Assert.Equal(expected, decoded);
            Assert.Equal(expected, Nip19Codec.Decode(Nip19Codec.Encode(decoded)));
            seen++;
        }

        Assert.Equal(8, seen);
    }

    [Fact]
    public void Encoding_rejects_a_relay_longer_than_a_TLV_can_hold()
    {
        var e = Assert.Throws<ArgumentException>(() => Nip19Codec.Encode(new NProfile(PubKey, ["wss://" + new string('x', 250)])));
        Assert.Contains("limit is 255", e.Message);
    }

    [Fact]
    public void Naddr_coordinate_is_the_a_tag_value()
    {
        Assert.Equal($"39230:{PubKey}:run-42", new NAddr("run-42", PubKey, 39230, []).Coordinate);
    }
}
