using SovereignTrajectories.Nostr.Crypto;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Testing;

namespace SovereignTrajectories.Nostr.Tests.Crypto;

public sealed class EcdhTests
{
    public static TheoryData<string, string, string, string> Rows(string wanted)
    {
        // Vectors/nip44-ecdh-vectors.csv: transcribed from nostr-tools nip44.vectors.json (see Vectors/README.md).
        string path = RepoPaths.Combine("tests", "SovereignTrajectories.Nostr.Tests", "Vectors", "nip44-ecdh-vectors.csv");
        var data = new TheoryData<string, string, string, string>();
        foreach (string line in File.ReadLines(path).Skip(1))
        {
            string[] cells = line.Split(',', 5);
            if (cells[0] == wanted)
            {
                data.Add(cells[1], cells[2], cells[3], cells[4]);
            }
        }

        return data;
    }

    public static TheoryData<string, string, string, string> SecRows() => Rows("sec");

    public static TheoryData<string, string, string, string> PubRows() => Rows("pub");

    public static TheoryData<string, string, string, string> InvalidPubRows() => Rows("invalid_pub");

    public static TheoryData<string, string, string, string> InvalidSecRows() => Rows("invalid_sec");

    [Theory]
    [MemberData(nameof(SecRows))]
    public void Shared_x_matches_nip44_vector_from_both_sides(string sec1, string sec2, string sharedX, string note)
    {
        using SecretKey a = SecretKey.FromHex(sec1);
        using SecretKey b = SecretKey.FromHex(sec2);
        byte[] ab = new byte[32];
        byte[] ba = new byte[32];
        Ecdh.SharedX(a, b.PublicKey.ToBytes(), ab);
        Ecdh.SharedX(b, a.PublicKey.ToBytes(), ba);
        Assert.True(sharedX == Convert.ToHexStringLower(ab), note);
        Assert.Equal(ab, ba);
    }

    [Theory]
    [MemberData(nameof(PubRows))]
    public void Shared_x_matches_nip44_vector_for_given_peer_key(string sec1, string pub2, string sharedX, string note)
    {
        using SecretKey a = SecretKey.FromHex(sec1);
        byte[] shared = new byte[32];
        Ecdh.SharedX(a, Convert.FromHexString(pub2), shared);
        Assert.True(sharedX == Convert.ToHexStringLower(shared), note);
    }

    [Theory]
    [MemberData(nameof(InvalidPubRows))]
    public void Peer_key_off_the_curve_is_rejected(string sec1, string pub2, string sharedX, string note)
    {
        Assert.Empty(sharedX);
        using SecretKey a = SecretKey.FromHex(sec1);
        var ex = Assert.Throws<ArgumentException>(() => Ecdh.SharedX(a, Convert.FromHexString(pub2), new byte[32]));
        Assert.Contains("not a valid x-only", ex.Message, StringComparison.Ordinal);
        Assert.NotEmpty(note);
    }

    [Theory]
    [MemberData(nameof(InvalidSecRows))]
    public void Secret_outside_the_curve_order_is_refused_as_a_key(string sec1, string pub2, string sharedX, string note)
    {
        Assert.Empty(sharedX);
        Assert.NotEmpty(pub2);
        var ex = Assert.Throws<KeyLoadException>(() => SecretKey.FromHex(sec1));
        Assert.DoesNotContain(sec1[..16], ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.NotEmpty(note);
    }
}
