using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using SovereignTrajectories.Nostr.Nip19;

namespace SovereignTrajectories.Audit.Tests.Payments.Bolt11;

/// <summary>
/// Builds and signs BOLT 11 invoices for tests, so a test can choose the amount, description hash,
/// expiry and payee. The project itself never signs with ECDSA; this binds libsecp256k1's recoverable
/// signing directly, for tests only.
/// </summary>
internal sealed class TestInvoiceBuilder
{
    /// <summary>The BOLT 11 examples' signing key; its public key is <see cref="SpecPayee"/>.</summary>
    public const string SpecPrivateKey = "e126f68f7eafcc8b74f54d269fe206be715000f94dac067d1c04a8ca3b2db734";

    public const string SpecPayee = "03e7156ae33b0a208d0744199163177e909e80176e55d97a2f221ede0f934dd9ad";

    private readonly List<byte> _fields = [];

    public string Hrp { get; set; } = "lnbc";

    public long Timestamp { get; set; } = 1_700_000_000;

    public string PrivateKeyHex { get; set; } = SpecPrivateKey;

    public static TestInvoiceBuilder Standard(string hrp, long timestamp, byte[] paymentHash)
    {
        var b = new TestInvoiceBuilder { Hrp = hrp, Timestamp = timestamp };
        b.AddBytes('p', paymentHash);
        b.AddBytes('s', Enumerable.Repeat((byte)0x11, 32).ToArray());
        return b;
    }

    public TestInvoiceBuilder AddBytes(char tag, byte[] value) => AddWords(tag, Bech32.ConvertBits(value, 8, 5, pad: true));

    public TestInvoiceBuilder AddText(char tag, string value) => AddBytes(tag, Encoding.UTF8.GetBytes(value));

    public TestInvoiceBuilder AddNumber(char tag, long value)
    {
        var words = new List<byte>();
        do
        {
            words.Insert(0, (byte)(value & 31));
            value >>= 5;
        }
        while (value > 0);
        return AddWords(tag, [.. words]);
    }

    public TestInvoiceBuilder AddWords(char tag, byte[] words)
    {
        _fields.Add((byte)"qpzry9x8gf2tvdw0s3jn54khce6mua7l".IndexOf(tag, StringComparison.Ordinal));
        _fields.Add((byte)(words.Length >> 5));
        _fields.Add((byte)(words.Length & 31));
        _fields.AddRange(words);
        return this;
    }

    public string Build()
    {
        var data = new List<byte>();
        for (int i = 6; i >= 0; i--)
        {
            data.Add((byte)((Timestamp >> (5 * i)) & 31));
        }

        data.AddRange(_fields);
        byte[] hrpBytes = Encoding.ASCII.GetBytes(Hrp);
        byte[] packed = Bech32.ConvertBits(data.ToArray(), 5, 8, pad: true);
        byte[] hash = SHA256.HashData([.. hrpBytes, .. packed]);
        byte[] sig65 = Sign(hash, Convert.FromHexString(PrivateKeyHex));
        data.AddRange(Bech32.ConvertBits(sig65, 8, 5, pad: true));
        return Bech32.EncodeWords(Hrp, data.ToArray());
    }

    private static byte[] Sign(byte[] hash32, byte[] secret32)
    {
        nint ctx = Native.secp256k1_context_create(0x0301);
        try
        {
            var sig = new byte[65];
            if (Native.secp256k1_ecdsa_sign_recoverable(ctx, sig, hash32, secret32, 0, 0) != 1)
            {
                throw new InvalidOperationException("libsecp256k1 refused to sign");
            }

            var compact = new byte[65];
            if (Native.secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx, compact, out int recid, sig) != 1)
            {
                throw new InvalidOperationException("libsecp256k1 refused to serialise the signature");
            }

            compact[64] = (byte)recid;
            return compact;
        }
        finally
        {
            Native.secp256k1_context_destroy(ctx);
        }
    }

    private static class Native
    {
        private const string Library = "libsecp256k1.so.1";

        [DllImport(Library)]
        internal static extern nint secp256k1_context_create(uint flags);

        [DllImport(Library)]
        internal static extern void secp256k1_context_destroy(nint ctx);

        [DllImport(Library)]
        internal static extern int secp256k1_ecdsa_sign_recoverable(nint ctx, byte[] sig65, byte[] msg32, byte[] seckey32, nint noncefp, nint ndata);

        [DllImport(Library)]
        internal static extern int secp256k1_ecdsa_recoverable_signature_serialize_compact(nint ctx, byte[] output64, out int recid, byte[] sig65);
    }
}
