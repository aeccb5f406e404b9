using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using SovereignTrajectories.Nostr.Crypto;
using SovereignTrajectories.Nostr.Nip19;

namespace SovereignTrajectories.Audit.Payments.Bolt11;

/// <summary>
/// Decodes and checks BOLT 11 invoices: bech32 without the 90-character limit, the amount and its
/// multiplier, the tagged fields, and the signature (verified against the <c>n</c> field when present,
/// otherwise used to recover the payee key). Everything BOLT 11 says a reader MUST fail on is a
/// <see cref="Bolt11FormatException"/>; fields it says to skip are skipped.
/// </summary>
public static class Bolt11Decoder
{
    private const int TimestampWords = 7;
    private const int SignatureWords = 104;
    private const int RouteHopBytes = 51;

    private const int TagPaymentHash = 1;
    private const int TagRoute = 3;
    private const int TagFeatures = 5;
    private const int TagExpiry = 6;
    private const int TagFallback = 9;
    private const int TagDescription = 13;
    private const int TagPaymentSecret = 16;
    private const int TagPayee = 19;
    private const int TagDescriptionHash = 23;
    private const int TagMinFinalCltv = 24;
    private const int TagMetadata = 27;

    // Longest first, so "lnbcrt" is not read as "lnbc" followed by an amount.
    private static readonly string[] Currencies = ["bcrt", "bc", "tbs", "tb", "sb"];

    // BOLT 9 features whose context includes 9 (invoices), plus the ASSUMED ones invoices still set.
    private static readonly HashSet<int> KnownFeatureBits = [8, 9, 14, 15, 16, 17, 24, 25, 36, 37, 48, 49];

    // secp256k1 group order / 2: BOLT 11 requires low-S when the payee is named by `n`.
    private static readonly BigInteger HalfOrder = BigInteger.Parse(
        "07FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0", System.Globalization.NumberStyles.HexNumber);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes <paramref name="invoice"/> (an optional <c>lightning:</c> scheme is accepted) or throws <see cref="Bolt11FormatException"/>.</summary>
    public static Bolt11Invoice Decode(string invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        string text = invoice.StartsWith("lightning:", StringComparison.OrdinalIgnoreCase) ? invoice["lightning:".Length..] : invoice;
        if (text.Length == 0)
        {
            throw new Bolt11FormatException(invoice, "is empty");
        }

        string hrp;
        byte[] words;
        try
        {
            (hrp, words) = Bech32.DecodeWords(text, int.MaxValue);
        }
        catch (Nip19Exception ex)
        {
            throw new Bolt11FormatException(invoice, ex.Message, ex);
        }

        (string currency, long? amountMsat) = ParseHumanReadablePart(invoice, hrp);

        if (words.Length < TimestampWords + SignatureWords)
        {
            throw new Bolt11FormatException(invoice, $"data part is too short: {words.Length} characters, need at least {TimestampWords + SignatureWords} for the timestamp and signature");
        }

        int end = words.Length - SignatureWords;
        long timestamp = ReadNumber(words.AsSpan(0, TimestampWords));
        var fields = new Fields();
        int pos = TimestampWords;
        while (pos < end)
        {
            if (end - pos < 3)
            {
                throw new Bolt11FormatException(invoice, $"tagged field header at data position {pos} is cut off by the signature");
            }

            int type = words[pos];
            int length = (words[pos + 1] * 32) + words[pos + 2];
            pos += 3;
            if (pos + length > end)
            {
                throw new Bolt11FormatException(invoice, $"tagged field {TagName(type)} of {length} characters runs into the signature");
            }

            ReadField(invoice, currency, type, words.AsSpan(pos, length), fields);
            pos += length;
        }

        if (fields.PaymentHash is null)
        {
            throw new Bolt11FormatException(invoice, "has no payment hash (a 'p' field of 52 characters)");
        }

        if (fields.PaymentSecret is null)
        {
            throw new Bolt11FormatException(invoice, "has no payment secret (an 's' field of 52 characters)");
        }

        if (fields.Description is null && fields.DescriptionHash is null)
        {
            throw new Bolt11FormatException(invoice, "has neither a description ('d') nor a description hash ('h')");
        }

        if (fields.Description is not null && fields.DescriptionHash is not null)
        {
            throw new Bolt11FormatException(invoice, "has both a description ('d') and a description hash ('h')");
        }

        byte[] signature = WordsToBytes(words.AsSpan(end, SignatureWords));
        int recoveryId = signature[64];
        if (recoveryId > 3)
        {
            throw new Bolt11FormatException(invoice, $"signature recovery flag is {recoveryId}, must be 0-3");
        }

        byte[] signingHash = ComputeSigningHash(hrp, words.AsSpan(0, end));
        byte[] compact = signature[..64];
        string payee = fields.Payee is not null
            ? VerifyAgainstPayee(invoice, compact, recoveryId, signingHash, fields.Payee)
            : Recover(invoice, compact, recoveryId, signingHash);

        return new Bolt11Invoice(
            invoice,
            hrp,
            currency,
            amountMsat,
            timestamp,
            fields.PaymentHash,
            fields.PaymentSecret,
            fields.Description,
            fields.DescriptionHash,
            fields.Expiry ?? Bolt11Invoice.DefaultExpirySeconds,
            fields.MinFinalCltv ?? Bolt11Invoice.DefaultMinFinalCltvExpiryDelta,
            payee,
            fields.Payee is not null,
            fields.FeatureBits,
            fields.Metadata,
            fields.Routes,
            fields.Fallbacks,
            Convert.ToHexStringLower(compact),
            recoveryId,
            Convert.ToHexStringLower(signingHash));
    }

    /// <summary>Like <see cref="Decode"/>, but returns the rejection instead of throwing.</summary>
    public static bool TryDecode(string invoice, out Bolt11Invoice? result, out Bolt11FormatException? error)
    {
        try
        {
            result = Decode(invoice);
            error = null;
            return true;
        }
        catch (Bolt11FormatException ex)
        {
            result = null;
            error = ex;
            return false;
        }
    }

    /// <summary>
    /// Parses the amount of a human-readable part into millisatoshi (null when absent). Exposed so
    /// tests can hold the multiplier rules without a signed invoice.
    /// </summary>
    public static (string Currency, long? AmountMsat) ParseHumanReadablePart(string invoice, string hrp)
    {
        ArgumentNullException.ThrowIfNull(hrp);
        if (!hrp.StartsWith("ln", StringComparison.Ordinal))
        {
            throw new Bolt11FormatException(invoice, $"prefix '{hrp}' does not start with 'ln'");
        }

        string rest = hrp[2..];
        string? currency = null;
        foreach (string c in Currencies)
        {
            if (rest.StartsWith(c, StringComparison.Ordinal) && (rest.Length == c.Length || char.IsAsciiDigit(rest[c.Length])))
            {
                currency = c;
                break;
            }
        }

        if (currency is null)
        {
            throw new Bolt11FormatException(invoice, $"prefix '{hrp}' names no known currency (lnbc, lntb, lntbs, lnbcrt, lnsb)");
        }

        string amount = rest[currency.Length..];
        if (amount.Length == 0)
        {
            return (currency, null);
        }

        char last = amount[^1];
        string digits = amount;
        BigInteger msatPerUnit;
        bool pico = false;
        if (char.IsAsciiDigit(last))
        {
            msatPerUnit = 100_000_000_000;
        }
        else
        {
            digits = amount[..^1];
            switch (last)
            {
                case 'm': msatPerUnit = 100_000_000; break;
                case 'u': msatPerUnit = 100_000; break;
                case 'n': msatPerUnit = 100; break;
                case 'p': msatPerUnit = 1; pico = true; break;
                default: throw new Bolt11FormatException(invoice, $"amount '{amount}' has invalid multiplier '{last}' (allowed: m, u, n, p)");
            }
        }

        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
        {
            throw new Bolt11FormatException(invoice, $"amount '{amount}' is not a decimal number followed by an optional multiplier");
        }

        if (digits[0] == '0')
        {
            throw new Bolt11FormatException(invoice, $"amount '{amount}' has a leading zero or is zero");
        }

        if (digits.Length > 30)
        {
            throw new Bolt11FormatException(invoice, $"amount '{amount}' is too large");
        }

        BigInteger value = BigInteger.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
        BigInteger msat;
        if (pico)
        {
            // One pico-bitcoin is a tenth of a millisatoshi: only multiples of ten can be paid.
            if (digits[^1] != '0')
            {
                throw new Bolt11FormatException(invoice, $"amount '{amount}' has sub-millisatoshi precision (a 'p' amount must end in 0)");
            }

            msat = value / 10;
        }
        else
        {
            msat = value * msatPerUnit;
        }

        if (msat > long.MaxValue)
        {
            throw new Bolt11FormatException(invoice, $"amount '{amount}' is too large");
        }

        return (currency, (long)msat);
    }

    private static void ReadField(string invoice, string currency, int type, ReadOnlySpan<byte> data, Fields fields)
    {
        switch (type)
        {
            // Fixed-length fields of the wrong length are skipped, as BOLT 11's test vector
            // "including fields which must be ignored" requires; the first valid one wins.
            case TagPaymentHash when data.Length == 52:
                fields.PaymentHash ??= Convert.ToHexStringLower(WordsToBytes(data));
                break;
            case TagPaymentSecret when data.Length == 52:
                fields.PaymentSecret ??= Convert.ToHexStringLower(WordsToBytes(data));
                break;
            case TagDescriptionHash when data.Length == 52:
                fields.DescriptionHash ??= Convert.ToHexStringLower(WordsToBytes(data));
                break;
            case TagPayee when data.Length == 53:
                fields.Payee ??= WordsToBytes(data);
                break;
            case TagDescription:
                if (fields.Description is null)
                {
                    try
                    {
                        fields.Description = StrictUtf8.GetString(WordsToBytes(data));
                    }
                    catch (DecoderFallbackException ex)
                    {
                        throw new Bolt11FormatException(invoice, "description ('d') is not valid UTF-8", ex);
                    }
                }

                break;
            case TagExpiry:
                fields.Expiry ??= ReadBoundedNumber(invoice, "expiry ('x')", data);
                break;
            case TagMinFinalCltv:
                fields.MinFinalCltv ??= ReadBoundedNumber(invoice, "min_final_cltv_expiry_delta ('c')", data);
                break;
            case TagMetadata:
                fields.Metadata ??= Convert.ToHexStringLower(WordsToBytes(data));
                break;
            case TagFeatures:
                fields.FeatureBits = ReadFeatures(invoice, data);
                break;
            case TagRoute:
                fields.Routes.Add(ReadRoute(invoice, data));
                break;
            case TagFallback when data.Length >= 1:
                int version = data[0];
                // Versions 19-31 are reserved for future address forms: readers skip them.
                if (version <= 18)
                {
                    byte[] program = WordsToBytes(data[1..]);
                    fields.Fallbacks.Add(new Bolt11Fallback(version, Convert.ToHexStringLower(program), FallbackAddress.Format(currency, version, program)));
                }

                break;
            default:
                break;
        }
    }

    private static List<int> ReadFeatures(string invoice, ReadOnlySpan<byte> data)
    {
        var bits = new List<int>();
        for (int i = 0; i < data.Length; i++)
        {
            int word = data[data.Length - 1 - i];
            for (int b = 0; b < 5; b++)
            {
                if ((word & (1 << b)) != 0)
                {
                    bits.Add((i * 5) + b);
                }
            }
        }

        foreach (int bit in bits)
        {
            // "It's OK to be odd": unknown odd bits are optional, unknown even bits are required.
            if (bit % 2 == 0 && !KnownFeatureBits.Contains(bit))
            {
                throw new Bolt11FormatException(invoice, $"requires unknown feature bit {bit} (field '9')");
            }
        }

        return bits;
    }

    private static List<Bolt11RouteHop> ReadRoute(string invoice, ReadOnlySpan<byte> data)
    {
        byte[] bytes = WordsToBytes(data);
        if (bytes.Length == 0 || bytes.Length % RouteHopBytes != 0)
        {
            throw new Bolt11FormatException(invoice, $"route field ('r') holds {bytes.Length} bytes, not a positive multiple of {RouteHopBytes}");
        }

        var hops = new List<Bolt11RouteHop>(bytes.Length / RouteHopBytes);
        for (int offset = 0; offset < bytes.Length; offset += RouteHopBytes)
        {
            ReadOnlySpan<byte> hop = bytes.AsSpan(offset, RouteHopBytes);
            ReadOnlySpan<byte> scid = hop.Slice(33, 8);
            int block = (scid[0] << 16) | (scid[1] << 8) | scid[2];
            int tx = (scid[3] << 16) | (scid[4] << 8) | scid[5];
            int output = (scid[6] << 8) | scid[7];
            hops.Add(new Bolt11RouteHop(
                Convert.ToHexStringLower(hop[..33]),
                $"{block}x{tx}x{output}",
                System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(hop.Slice(41, 4)),
                System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(hop.Slice(45, 4)),
                System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(hop.Slice(49, 2))));
        }

        return hops;
    }

    private static string VerifyAgainstPayee(string invoice, byte[] compact, int recoveryId, byte[] signingHash, byte[] payee)
    {
        var s = new BigInteger(compact.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
        if (s > HalfOrder)
        {
            throw new Bolt11FormatException(invoice, "signature is not low-S although the payee is named by an 'n' field");
        }

        Span<byte> recovered = stackalloc byte[33];
        // A valid signature recovers to its signer under one of the ids; trying all of them makes
        // this a plain verification against `n`, as BOLT 11 asks, even if the flag is off.
        for (int i = 0; i < 4; i++)
        {
            int id = (recoveryId + i) % 4;
            if (EcdsaRecovery.TryRecoverCompressed(compact, id, signingHash, recovered) && recovered.SequenceEqual(payee))
            {
                return Convert.ToHexStringLower(payee);
            }
        }

        throw new Bolt11FormatException(invoice, $"signature does not verify against the payee key {Convert.ToHexStringLower(payee)} in the 'n' field");
    }

    private static string Recover(string invoice, byte[] compact, int recoveryId, byte[] signingHash)
    {
        Span<byte> recovered = stackalloc byte[33];
        if (!EcdsaRecovery.TryRecoverCompressed(compact, recoveryId, signingHash, recovered))
        {
            throw new Bolt11FormatException(invoice, "signature is not recoverable: no payee key can be derived from it");
        }

        return Convert.ToHexStringLower(recovered);
    }

    private static byte[] ComputeSigningHash(string hrp, ReadOnlySpan<byte> dataWords)
    {
        byte[] data = Bech32.ConvertBits(dataWords, 5, 8, pad: true);
        byte[] hrpBytes = Encoding.ASCII.GetBytes(hrp);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(hrpBytes);
        sha.AppendData(data);
        return sha.GetHashAndReset();
    }

    private static long ReadNumber(ReadOnlySpan<byte> words)
    {
        long value = 0;
        foreach (byte w in words)
        {
            value = (value << 5) | w;
        }

        return value;
    }

    private static long ReadBoundedNumber(string invoice, string field, ReadOnlySpan<byte> data)
    {
        // 12 words are 60 bits: anything longer cannot be a sensible number of seconds or blocks.
        if (data.Length > 12)
        {
            throw new Bolt11FormatException(invoice, $"{field} is {data.Length} characters long, more than 12");
        }

        return ReadNumber(data);
    }

    /// <summary>Packs 5-bit words into bytes, dropping the trailing bits that do not fill a byte (field padding).</summary>
    private static byte[] WordsToBytes(ReadOnlySpan<byte> words)
    {
        var result = new byte[words.Length * 5 / 8];
        int acc = 0, bits = 0, o = 0;
        foreach (byte w in words)
        {
            acc = ((acc << 5) | w) & 0xFFF;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                if (o < result.Length)
                {
                    result[o++] = (byte)(acc >> bits);
                }
            }
        }

        return result;
    }

    private static string TagName(int type) => type switch
    {
        TagPaymentHash => "'p'",
        TagRoute => "'r'",
        TagFeatures => "'9'",
        TagExpiry => "'x'",
        TagFallback => "'f'",
        TagDescription => "'d'",
        TagPaymentSecret => "'s'",
        TagPayee => "'n'",
        TagDescriptionHash => "'h'",
        TagMinFinalCltv => "'c'",
        TagMetadata => "'m'",
        _ => $"type {type}",
    };

    private sealed class Fields
    {
        public string? PaymentHash { get; set; }

        public string? PaymentSecret { get; set; }

        public string? Description { get; set; }

        public string? DescriptionHash { get; set; }

        public byte[]? Payee { get; set; }

        public long? Expiry { get; set; }

        public long? MinFinalCltv { get; set; }

        public string? Metadata { get; set; }

        public List<int> FeatureBits { get; set; } = [];

        public List<IReadOnlyList<Bolt11RouteHop>> Routes { get; } = [];

        public List<Bolt11Fallback> Fallbacks { get; } = [];
    }
}
