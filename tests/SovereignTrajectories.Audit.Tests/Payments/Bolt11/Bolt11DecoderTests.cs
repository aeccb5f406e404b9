using System.Security.Cryptography;
using System.Text.Json;
using SovereignTrajectories.Audit.Payments.Bolt11;

namespace SovereignTrajectories.Audit.Tests.Payments.Bolt11;

public sealed class Bolt11DecoderTests
{
    public static TheoryData<int> ValidExamples => Bolt11SpecVectors.ValidIndexes();

    public static TheoryData<int> InvalidExamples => Bolt11SpecVectors.InvalidIndexes();

    [Theory]
    [MemberData(nameof(ValidExamples))]
    public void Decodes_every_valid_example_of_the_specification_to_its_stated_fields(int index)
    {
        JsonElement v = Bolt11SpecVectors.Valid(index);
        Bolt11Invoice invoice = Bolt11Decoder.Decode(v.GetProperty("invoice").GetString()!);

        Assert.Equal(v.GetProperty("currency").GetString(), invoice.Currency);
        Assert.Equal(NullableLong(v.GetProperty("amount_msat")), invoice.AmountMsat);
        Assert.Equal(v.GetProperty("timestamp").GetInt64(), invoice.Timestamp);
        Assert.Equal(v.GetProperty("payment_hash").GetString(), invoice.PaymentHash);
        Assert.Equal(v.GetProperty("payment_secret").GetString(), invoice.PaymentSecret);
        Assert.Equal(v.GetProperty("description").GetString(), invoice.Description);
        Assert.Equal(v.GetProperty("description_hash").GetString(), invoice.DescriptionHash);
        Assert.Equal(v.GetProperty("expiry").GetInt64(), invoice.ExpirySeconds);
        Assert.Equal(v.GetProperty("min_final_cltv").GetInt64(), invoice.MinFinalCltvExpiryDelta);
        Assert.Equal(v.GetProperty("payee").GetString(), invoice.PayeeNodeId);
        Assert.Equal(v.GetProperty("payee_explicit").GetBoolean(), invoice.PayeeNodeIdExplicit);
        Assert.Equal(v.GetProperty("features").EnumerateArray().Select(e => e.GetInt32()), invoice.FeatureBits);
        Assert.Equal(v.GetProperty("metadata").GetString(), invoice.Metadata);
        Assert.Equal(v.GetProperty("fallbacks").EnumerateArray().Select(e => e.GetString()), invoice.Fallbacks.Select(f => f.Address));
        Assert.Equal(
            v.GetProperty("routes").EnumerateArray().Select(r => r.EnumerateArray().Select(h =>
                new Bolt11RouteHop(
                    h.GetProperty("pubkey").GetString()!,
                    h.GetProperty("short_channel_id").GetString()!,
                    h.GetProperty("fee_base_msat").GetUInt32(),
                    h.GetProperty("fee_proportional_millionths").GetUInt32(),
                    h.GetProperty("cltv_expiry_delta").GetUInt16())).ToList()).ToList(),
            invoice.Routes.Select(r => r.ToList()).ToList());
        if (v.TryGetProperty("recovery_id", out JsonElement recid))
        {
            Assert.Equal(recid.GetInt32(), invoice.RecoveryId);
        }

        if (v.TryGetProperty("signature", out JsonElement sig))
        {
            Assert.Equal(sig.GetString(), invoice.Signature);
        }

        if (v.TryGetProperty("signing_hash", out JsonElement hash))
        {
            Assert.Equal(hash.GetString(), invoice.SigningHash);
        }
    }

    [Theory]
    [MemberData(nameof(InvalidExamples))]
    public void Rejects_every_invalid_example_of_the_specification_with_its_reason(int index)
    {
        JsonElement v = Bolt11SpecVectors.Invalid(index);
        string text = v.GetProperty("invoice").GetString()!;

        var ex = Assert.Throws<Bolt11FormatException>(() => Bolt11Decoder.Decode(text));

        Assert.Contains(v.GetProperty("error_contains").GetString()!, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("BOLT 11 invoice '", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lnbc", null)]
    [InlineData("lnbc1", 100_000_000_000L)]
    [InlineData("lnbc20m", 2_000_000_000L)]
    [InlineData("lnbc2500u", 250_000_000L)]
    [InlineData("lnbc10n", 1_000L)]
    [InlineData("lnbc10p", 1L)]
    [InlineData("lnbc9678785340p", 967_878_534L)]
    [InlineData("lntbs5u", 500_000L)]
    [InlineData("lnbcrt1m", 100_000_000L)]
    public void Converts_the_amount_and_multiplier_to_millisatoshi(string hrp, long? expected)
    {
        (_, long? msat) = Bolt11Decoder.ParseHumanReadablePart("test", hrp);

        Assert.Equal(expected, msat);
    }

    [Theory]
    [InlineData("lnbc011m", "leading zero")]
    [InlineData("lnbc0", "leading zero")]
    [InlineData("lnbc15p", "sub-millisatoshi")]
    [InlineData("lnbc2500x", "invalid multiplier 'x'")]
    [InlineData("lnbc1xm", "not a decimal number")]
    [InlineData("lnxy1m", "no known currency")]
    [InlineData("bc1m", "does not start with 'ln'")]
    [InlineData("lnbc99999999999999999999m", "too large")]
    public void Rejects_malformed_amounts_naming_the_amount(string hrp, string reason)
    {
        var ex = Assert.Throws<Bolt11FormatException>(() => Bolt11Decoder.ParseHumanReadablePart("test", hrp));

        Assert.Contains(reason, ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Recovers_the_payee_of_an_invoice_signed_by_another_key()
    {
        byte[] secret = RandomNumberGenerator.GetBytes(32);
        var builder = TestInvoiceBuilder.Standard("lnbc5u", 1_700_000_000, new byte[32]);
        builder.AddText('d', "x");
        builder.PrivateKeyHex = Convert.ToHexStringLower(secret);

        Bolt11Invoice invoice = Bolt11Decoder.Decode(builder.Build());

        Assert.NotEqual(TestInvoiceBuilder.SpecPayee, invoice.PayeeNodeId);
        Assert.Equal(500_000L, invoice.AmountMsat);
        Assert.False(invoice.PayeeNodeIdExplicit);
    }

    [Fact]
    public void Accepts_an_n_field_that_names_the_signer()
    {
        var builder = TestInvoiceBuilder.Standard("lnbc5u", 1_700_000_000, new byte[32]);
        builder.AddText('d', "x").AddBytes('n', Convert.FromHexString(TestInvoiceBuilder.SpecPayee));

        Bolt11Invoice invoice = Bolt11Decoder.Decode(builder.Build());

        Assert.True(invoice.PayeeNodeIdExplicit);
        Assert.Equal(TestInvoiceBuilder.SpecPayee, invoice.PayeeNodeId);
    }

    [Fact]
    public void Rejects_an_invoice_whose_n_field_names_another_key_than_the_signer()
    {
        var builder = TestInvoiceBuilder.Standard("lnbc5u", 1_700_000_000, new byte[32]);
        builder.AddText('d', "x").AddBytes('n', Convert.FromHexString("029e03a901b85534ff1e92c43c74431f7ce72046060fcf7a95c37e148f78c77255"));

        var ex = Assert.Throws<Bolt11FormatException>(() => Bolt11Decoder.Decode(builder.Build()));

        Assert.Contains("does not verify against the payee key 029e03a9", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_an_invoice_with_both_description_and_description_hash()
    {
        var builder = TestInvoiceBuilder.Standard("lnbc5u", 1_700_000_000, new byte[32]);
        builder.AddText('d', "x").AddBytes('h', new byte[32]);

        var ex = Assert.Throws<Bolt11FormatException>(() => Bolt11Decoder.Decode(builder.Build()));

        Assert.Contains("both a description", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_an_invoice_without_payment_hash()
    {
        var builder = new TestInvoiceBuilder { Hrp = "lnbc5u" };
        builder.AddBytes('s', new byte[32]).AddText('d', "x");

        var ex = Assert.Throws<Bolt11FormatException>(() => Bolt11Decoder.Decode(builder.Build()));

        Assert.Contains("no payment hash", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_a_long_description_beyond_the_bech32_length_limit()
    {
        string description = new('z', 600);
        var builder = TestInvoiceBuilder.Standard("lnbc1m", 1_700_000_000, new byte[32]);
        builder.AddText('d', description).AddNumber('x', 86_400);
        string text = builder.Build();

        Bolt11Invoice invoice = Bolt11Decoder.Decode(text);

        Assert.True(text.Length > 1000);
        Assert.Equal(description, invoice.Description);
        Assert.Equal(1_700_086_400L, invoice.ExpiresAt);
    }

    [Fact]
    public void Accepts_the_lightning_uri_scheme_prefix()
    {
        string text = Bolt11SpecVectors.Valid(1).GetProperty("invoice").GetString()!;

        Bolt11Invoice invoice = Bolt11Decoder.Decode("lightning:" + text);

        Assert.Equal(250_000_000L, invoice.AmountMsat);
    }

    [Fact]
    public void Rejects_a_description_that_is_not_utf8()
    {
        var builder = TestInvoiceBuilder.Standard("lnbc5u", 1_700_000_000, new byte[32]);
        builder.AddBytes('d', [0xff, 0xfe]);

        var ex = Assert.Throws<Bolt11FormatException>(() => Bolt11Decoder.Decode(builder.Build()));

        Assert.Contains("description ('d') is not valid UTF-8", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_route_field_that_is_not_whole_hops()
    {
        var builder = TestInvoiceBuilder.Standard("lnbc5u", 1_700_000_000, new byte[32]);
        builder.AddText('d', "x").AddBytes('r', new byte[50]);

        var ex = Assert.Throws<Bolt11FormatException>(() => Bolt11Decoder.Decode(builder.Build()));

        Assert.Contains("route field ('r') holds 50 bytes", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_expiry_and_min_final_cltv_and_defaults_them_when_absent()
    {
        var withFields = TestInvoiceBuilder.Standard("lnbc5u", 1_700_000_000, new byte[32]);
        withFields.AddText('d', "x").AddNumber('x', 90).AddNumber('c', 144);
        var without = TestInvoiceBuilder.Standard("lnbc5u", 1_700_000_000, new byte[32]);
        without.AddText('d', "x");

        Bolt11Invoice a = Bolt11Decoder.Decode(withFields.Build());
        Bolt11Invoice b = Bolt11Decoder.Decode(without.Build());

        Assert.Equal((90L, 144L), (a.ExpirySeconds, a.MinFinalCltvExpiryDelta));
        Assert.Equal((3600L, 18L), (b.ExpirySeconds, b.MinFinalCltvExpiryDelta));
        Assert.True(a.IsPayableAt(1_700_000_090));
        Assert.False(a.IsPayableAt(1_700_000_091));
    }

    [Fact]
    public void Decodes_the_amount_of_invoices_it_encoded_across_magnitudes()
    {
        // Fixed seed: the same amounts every run, spread over 1 msat .. 10^15 msat.
        var random = new Random(11);
        long[] amounts = [.. Enumerable.Range(0, 40).Select(i => Math.Max(1L, (long)(random.NextDouble() * Math.Pow(10, i % 16)))), 1, 10, 100, 999_999_999_999_999];
        foreach (long msat in amounts)
        {
            string hrp = msat % 100 == 0 ? $"lnbc{msat / 100}n" : $"lnbc{msat * 10}p";
            var builder = TestInvoiceBuilder.Standard(hrp, 1_700_000_000, new byte[32]);
            builder.AddText('d', "x");

            Assert.Equal(msat, Bolt11Decoder.Decode(builder.Build()).AmountMsat);
        }
    }

    private static long? NullableLong(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetInt64();
}
