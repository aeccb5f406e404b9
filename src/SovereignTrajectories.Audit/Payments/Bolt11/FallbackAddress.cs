using System.Numerics;
using System.Security.Cryptography;
using SovereignTrajectories.Nostr.Nip19;

namespace SovereignTrajectories.Audit.Payments.Bolt11;

/// <summary>Writes a BOLT 11 fallback as the on-chain address a person would recognise.</summary>
internal static class FallbackAddress
{
    private const string Base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    /// <summary>The address for <paramref name="version"/>/<paramref name="program"/> on <paramref name="currency"/>, or null when unknown.</summary>
    public static string? Format(string currency, int version, ReadOnlySpan<byte> program)
    {
        (byte p2pkh, byte p2sh, string segwitHrp)? net = currency switch
        {
            "bc" => (0x00, 0x05, "bc"),
            "tb" or "tbs" => (0x6f, 0xc4, "tb"),
            "bcrt" => (0x6f, 0xc4, "bcrt"),
            "sb" => (0x3f, 0x7b, "sb"),
            _ => null,
        };
        if (net is null)
        {
            return null;
        }

        if (version == 17 || version == 18)
        {
            if (program.Length != 20)
            {
                return null;
            }

            return Base58Check(version == 17 ? net.Value.p2pkh : net.Value.p2sh, program);
        }

        if (version is < 0 or > 16 || program.Length is < 2 or > 40)
        {
            return null;
        }

        byte[] programWords = Bech32.ConvertBits(program, 8, 5, pad: true);
        var words = new byte[programWords.Length + 1];
        words[0] = (byte)version;
        programWords.CopyTo(words, 1);
        // BIP-350: witness v0 keeps bech32, v1 and later use bech32m.
        return Bech32.EncodeWords(net.Value.segwitHrp, words, version == 0 ? Bech32Variant.Bech32 : Bech32Variant.Bech32m);
    }

    private static string Base58Check(byte versionByte, ReadOnlySpan<byte> hash20)
    {
        var payload = new byte[25];
        payload[0] = versionByte;
        hash20.CopyTo(payload.AsSpan(1));
        byte[] check = SHA256.HashData(SHA256.HashData(payload.AsSpan(0, 21)));
        check.AsSpan(0, 4).CopyTo(payload.AsSpan(21));

        var value = new BigInteger(payload, isUnsigned: true, isBigEndian: true);
        var chars = new List<char>();
        while (value > 0)
        {
            value = BigInteger.DivRem(value, 58, out BigInteger rem);
            chars.Add(Base58Alphabet[(int)rem]);
        }

        foreach (byte b in payload)
        {
            if (b != 0)
            {
                break;
            }

            chars.Add('1');
        }

        chars.Reverse();
        return new string([.. chars]);
    }
}
