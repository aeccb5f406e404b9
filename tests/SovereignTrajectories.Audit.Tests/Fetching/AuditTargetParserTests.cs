using SovereignTrajectories.Audit.Fetching;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Nostr.Nip19;

namespace SovereignTrajectories.Audit.Tests.Fetching;

public sealed class AuditTargetParserTests
{
    private static readonly string PubKey = new('a', 64);

    [Fact]
    public void Reads_naddr_as_session_with_its_relay_hints()
    {
        using SecretKey key = SecretKey.Generate();
        string naddr = Nip19Codec.Encode(new NAddr("run-1", key.PublicKey.Hex, 39230, ["wss://relay.example"]));
        AuditTarget t = AuditTargetParser.Parse(naddr);
        Assert.Equal(AuditTargetKind.Session, t.Kind);
        Assert.Equal($"39230:{key.PublicKey.Hex}:run-1", t.Coordinate);
        Assert.Equal(["wss://relay.example"], t.RelayHints);
    }

    [Fact]
    public void Reads_coordinate_event_id_and_nevent()
    {
        Assert.Equal(AuditTargetKind.Session, AuditTargetParser.Parse($"39230:{PubKey}:run-1").Kind);
        AuditTarget byId = AuditTargetParser.Parse(new string('b', 64));
        Assert.Equal(AuditTargetKind.ClaimEvent, byId.Kind);
        Assert.Equal(new string('b', 64), byId.EventId);
        string nevent = Nip19Codec.Encode(new NEvent(new string('c', 64), ["wss://r.example"], null, 39211));
        AuditTarget ev = AuditTargetParser.Parse(nevent);
        Assert.Equal(new string('c', 64), ev.EventId);
        Assert.Equal(["wss://r.example"], ev.RelayHints);
    }

    [Fact]
    public void Reads_bare_sid_with_author()
    {
        using SecretKey key = SecretKey.Generate();
        AuditTarget t = AuditTargetParser.Parse("run-2", key.PublicKey.ToNpub());
        Assert.Equal($"39230:{key.PublicKey.Hex}:run-2", t.Coordinate);
    }

    [Fact]
    public void Rejects_naddr_of_another_kind_naming_the_kind()
    {
        string naddr = Nip19Codec.Encode(new NAddr("x", PubKey, 30023, []));
        FormatException ex = Assert.Throws<FormatException>(() => AuditTargetParser.Parse(naddr));
        Assert.Contains("30023", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_garbage_naming_the_input()
    {
        FormatException ex = Assert.Throws<FormatException>(() => AuditTargetParser.Parse("not a target!"));
        Assert.Contains("not a target!", ex.Message, StringComparison.Ordinal);
        FormatException bad = Assert.Throws<FormatException>(() => AuditTargetParser.Parse("run-1", "npub1nonsense"));
        Assert.StartsWith("--author", bad.Message, StringComparison.Ordinal);
    }
}
