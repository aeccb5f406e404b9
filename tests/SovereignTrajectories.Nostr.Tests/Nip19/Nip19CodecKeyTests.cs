using SovereignTrajectories.Nostr.Codecs;
using SovereignTrajectories.Nostr.Nip19;

namespace SovereignTrajectories.Nostr.Tests.Nip19;

public sealed class Nip19CodecKeyTests
{
    [Fact]
    public void Decodes_and_encodes_the_NIP19_npub_and_nsec_examples()
    {
        int seen = 0;
        foreach (string[] row in Nip19Vectors.Rows("nip19-examples.tsv"))
        {
            (string prefix, string text, string hex) = (row[0], row[1], row[2]);
            switch (prefix)
            {
                case "npub":
                    Assert.Equal(hex, Hex.Encode(Nip19Codec.DecodeNpub(text)));
                    Assert.Equal(text, Nip19Codec.EncodeNpub(Hex.Decode(hex)));
                    seen++;
                    break;
                case "nsec":
                    Assert.Equal(hex, Hex.Encode(Nip19Codec.DecodeNsec(text)));
                    Assert.Equal(text, Nip19Codec.EncodeNsec(Hex.Decode(hex)));
                    seen++;
                    break;
            }
        }

        Assert.Equal(3, seen);
    }

    [Fact]
    public void Note_round_trips()
    {
        byte[] id = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        string note = Nip19Codec.EncodeNote(id);
        Assert.StartsWith("note1", note);
        Assert.Equal(id, Nip19Codec.DecodeNote(note));
    }

    [Fact]
    public void Rejects_a_key_with_the_wrong_prefix_naming_both()
    {
        string nsec = Nip19Codec.EncodeNsec(new byte[32]);
        var e = Assert.Throws<Nip19Exception>(() => Nip19Codec.DecodeNpub(nsec));
        Assert.Equal("wrong prefix: expected npub, got nsec", e.Message);
    }

    [Fact]
    public void Rejects_a_key_that_is_not_32_bytes()
    {
        string shortKey = Bech32.Encode("npub", new byte[31]);
        var e = Assert.Throws<Nip19Exception>(() => Nip19Codec.DecodeNpub(shortKey));
        Assert.Contains("32 bytes, got 31", e.Message);
        Assert.Throws<ArgumentException>(() => Nip19Codec.EncodeNpub(new byte[33]));
    }

    [Fact]
    public void Rejects_a_bad_checksum()
    {
        string npub = "npub10elfcs4fr0l0r8af98jlmgdh9c8tcxjvz9qkw038js35mp4dma8qzvjptq";
        var e = Assert.Throws<Nip19Exception>(() => Nip19Codec.DecodeNpub(npub));
        Assert.Contains("bad checksum", e.Message);
    }

    [Fact]
    public void Nsec_errors_do_not_repeat_the_secret()
    {
        string nsec = "nsec1vl029mgpspedva04g90vltkh6fvh240zqtv9k0t9af8935ke9laqsnlfe4";
        var e = Assert.Throws<Nip19Exception>(() => Nip19Codec.DecodeNsec(nsec));
        Assert.DoesNotContain("vl029mgpspedva04", e.Message);
    }
}
