using System.Globalization;
using System.Security.Cryptography;
using SovereignTrajectories.Audit.Checks;
using SovereignTrajectories.Audit.Payments.Bolt11;
using SovereignTrajectories.Nostr.Codecs;
using SovereignTrajectories.Nostr.Crypto;

namespace SovereignTrajectories.Audit.Claims;

/// <summary>
/// The offline payment checks of profile §6: invoice validity and payee recovery, amount agreement,
/// expiry at payment time, payment after the session ended, description hash, preimage. What only
/// the network could show (settlement, the LNURL server's key) is reported as unverifiable.
/// </summary>
public static class PaymentChecks
{
    /// <summary>Decodes <paramref name="bolt11"/>: pass with the payee and amount, or fail with the decoder's reason.</summary>
    public static CheckResult InvoiceValid(string bolt11, out Bolt11Invoice? invoice, params string[] evidenceIds)
    {
        ArgumentNullException.ThrowIfNull(bolt11);
        if (Bolt11Decoder.TryDecode(bolt11, out invoice, out Bolt11FormatException? error))
        {
            string amount = invoice!.AmountMsat is long msat ? $"{msat} msat" : "no amount";
            string payee = invoice.PayeeNodeIdExplicit ? "payee (n field, signature verified)" : "payee recovered from the signature";
            return CheckResult.Pass(ClaimCheckNames.InvoiceValid, $"invoice checksum and signature valid; {payee} {invoice.PayeeNodeId}; {amount}", evidenceIds);
        }

        return CheckResult.Fail(ClaimCheckNames.InvoiceValid, $"invoice rejected: {error!.Reason}", evidenceIds);
    }

    /// <summary>
    /// Invoice amount == claimed amount == zap request amount, over the amounts that are stated. An
    /// invoice without an amount cannot back a claimed amount.
    /// </summary>
    public static CheckResult AmountMatches(Bolt11Invoice invoice, long? claimedMsat, long? zapRequestMsat, params string[] evidenceIds)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        if (claimedMsat is null && zapRequestMsat is null)
        {
            return CheckResult.Note(ClaimCheckNames.InvoiceAmount, "no amount is claimed besides the invoice's own", evidenceIds);
        }

        if (invoice.AmountMsat is not long paid)
        {
            return CheckResult.Fail(ClaimCheckNames.InvoiceAmount, $"invoice names no amount, but {Describe(claimedMsat, zapRequestMsat)}", evidenceIds);
        }

        var mismatches = new List<string>();
        if (claimedMsat is long claimed && claimed != paid)
        {
            mismatches.Add($"claimed amount {claimed} msat");
        }

        if (zapRequestMsat is long requested && requested != paid)
        {
            mismatches.Add($"zap request amount {requested} msat");
        }

        return mismatches.Count == 0
            ? CheckResult.Pass(ClaimCheckNames.InvoiceAmount, $"invoice amount {paid} msat equals {Describe(claimedMsat, zapRequestMsat)}", evidenceIds)
            : CheckResult.Fail(ClaimCheckNames.InvoiceAmount, $"invoice amount {paid} msat differs from the {string.Join(" and the ", mismatches)}", evidenceIds);
    }

    /// <summary>The payment (at <paramref name="paidAt"/>, Unix seconds) falls within the invoice's timestamp..timestamp+expiry.</summary>
    public static CheckResult NotExpired(Bolt11Invoice invoice, long paidAt, params string[] evidenceIds)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        if (paidAt < invoice.Timestamp)
        {
            return CheckResult.Fail(ClaimCheckNames.InvoiceNotExpired, $"payment time {paidAt} is before the invoice was created ({invoice.Timestamp})", evidenceIds);
        }

        return paidAt <= invoice.ExpiresAt
            ? CheckResult.Pass(ClaimCheckNames.InvoiceNotExpired, $"paid at {paidAt}, within the invoice's {invoice.Timestamp}..{invoice.ExpiresAt}", evidenceIds)
            : CheckResult.Fail(ClaimCheckNames.InvoiceNotExpired, $"paid at {paidAt}, {paidAt - invoice.ExpiresAt} s after the invoice expired at {invoice.ExpiresAt}", evidenceIds);
    }

    /// <summary>The payment came after the session ended (the work was done before it was paid for).</summary>
    public static CheckResult AfterSessionEnd(long paidAt, long? sessionEndedAt, params string[] evidenceIds)
    {
        if (sessionEndedAt is not long ended)
        {
            return CheckResult.Unverifiable(ClaimCheckNames.PaymentAfterSessionEnd, "the session has no ended_at (not final), so payment timing cannot be judged", evidenceIds);
        }

        return paidAt >= ended
            ? CheckResult.Pass(ClaimCheckNames.PaymentAfterSessionEnd, $"paid at {paidAt}, after the session ended at {ended}", evidenceIds)
            : CheckResult.Fail(ClaimCheckNames.PaymentAfterSessionEnd, $"paid at {paidAt}, {ended - paidAt} s before the session ended at {ended}", evidenceIds);
    }

    /// <summary>NIP-57: the invoice's <c>h</c> equals SHA-256 of the <c>description</c> string's UTF-8 bytes.</summary>
    public static CheckResult DescriptionHash(Bolt11Invoice invoice, string description, params string[] evidenceIds)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        ArgumentNullException.ThrowIfNull(description);
        string computed = Sha256.HexOfUtf8(description);
        if (invoice.DescriptionHash is null)
        {
            return CheckResult.Fail(ClaimCheckNames.ZapDescriptionHash, "invoice carries an inline description, not a description hash committing to the zap request", evidenceIds);
        }

        return invoice.DescriptionHash == computed
            ? CheckResult.Pass(ClaimCheckNames.ZapDescriptionHash, "invoice description hash equals SHA-256 of the zap request", evidenceIds)
            : CheckResult.Fail(ClaimCheckNames.ZapDescriptionHash, $"invoice description hash {invoice.DescriptionHash} differs from SHA-256 of the zap request {computed}", evidenceIds);
    }

    /// <summary>SHA-256(preimage) equals the invoice's payment hash. Without a preimage this is a note (nothing shown either way).</summary>
    public static CheckResult Preimage(Bolt11Invoice invoice, string? preimage, params string[] evidenceIds)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        if (preimage is null)
        {
            return CheckResult.Note(ClaimCheckNames.ZapPreimage, "no preimage given, so nothing shows the invoice was paid", evidenceIds);
        }

        Span<byte> bytes = stackalloc byte[32];
        if (!Hex.TryDecode(preimage, bytes))
        {
            return CheckResult.Fail(ClaimCheckNames.ZapPreimage, $"preimage '{Truncate(preimage)}' is not 64 hex characters", evidenceIds);
        }

        string hash = Hex.Encode(SHA256.HashData(bytes));
        return hash == invoice.PaymentHash
            ? CheckResult.Pass(ClaimCheckNames.ZapPreimage, "SHA-256 of the preimage equals the invoice's payment hash (someone knew the preimage; not who paid)", evidenceIds)
            : CheckResult.Fail(ClaimCheckNames.ZapPreimage, $"SHA-256 of the preimage is {hash}, not the invoice's payment hash {invoice.PaymentHash}", evidenceIds);
    }

    /// <summary>Settlement of a Lightning payment cannot be proven offline to a third party.</summary>
    public static CheckResult Settlement(bool preimageMatched, params string[] evidenceIds) =>
        new(
            ClaimCheckNames.PaymentSettled,
            CheckStatus.Unverifiable,
            "needs the network: Lightning settlement cannot be proven offline" + (preimageMatched ? " (a matching preimage shows only that someone knew it)" : string.Empty),
            evidenceIds,
            Required: false);

    private static string Describe(long? claimed, long? requested) =>
        (claimed, requested) switch
        {
            (long c, long r) => string.Create(CultureInfo.InvariantCulture, $"the claimed amount {c} msat and the zap request amount {r} msat"),
            (long c, null) => string.Create(CultureInfo.InvariantCulture, $"the claimed amount {c} msat"),
            (null, long r) => string.Create(CultureInfo.InvariantCulture, $"the zap request amount {r} msat"),
            _ => "no other amount",
        };

    private static string Truncate(string value) => value.Length <= 16 ? value : value[..16] + "...";
}
