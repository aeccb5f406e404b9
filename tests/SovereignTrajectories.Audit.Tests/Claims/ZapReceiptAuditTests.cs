using SovereignTrajectories.Audit.Checks;
using SovereignTrajectories.Audit.Claims;
using SovereignTrajectories.Nostr.Events;
using static SovereignTrajectories.Audit.Tests.Claims.ClaimTestData;

namespace SovereignTrajectories.Audit.Tests.Claims;

public sealed class ZapReceiptAuditTests : IDisposable
{
    private readonly ClaimTestData _data = new();
    private readonly NostrEvent _receipt;

    public ZapReceiptAuditTests() => _receipt = _data.SignReceipt(_data.Receipt());

    [Fact]
    public void Passes_every_offline_check_for_an_honest_zap_of_the_receipt()
    {
        NostrEvent zap = _data.ZapReceipt(_data.ZapRequest(_receipt.Id));

        CheckList list = Audit(zap);

        Assert.Empty(Failures(list));
        foreach (string name in new[]
        {
            ClaimCheckNames.EventSignature, ClaimCheckNames.ZapRequestValid, ClaimCheckNames.ZapRequestShape, ClaimCheckNames.ZapTagsCopied,
            ClaimCheckNames.ZapRequestTarget, ClaimCheckNames.InvoiceValid, ClaimCheckNames.ZapDescriptionHash, ClaimCheckNames.InvoiceAmount,
            ClaimCheckNames.InvoiceNotExpired, ClaimCheckNames.ZapPreimage, ClaimCheckNames.PaymentAfterSessionEnd,
        })
        {
            AssertStatus(list, name, CheckStatus.Pass);
        }
    }

    [Fact]
    public void Reports_settlement_and_the_lnurl_signer_as_needing_the_network_never_as_passed()
    {
        CheckList list = Audit(_data.ZapReceipt(_data.ZapRequest(_receipt.Id)));

        AssertStatus(list, ClaimCheckNames.PaymentSettled, CheckStatus.Unverifiable);
        AssertStatus(list, ClaimCheckNames.ZapReceiptSigner, CheckStatus.Unverifiable);
        Assert.StartsWith("needs the network: ", list.Find(ClaimCheckNames.PaymentSettled)!.Reason, StringComparison.Ordinal);
        Assert.StartsWith("needs the network: ", list.Find(ClaimCheckNames.ZapReceiptSigner)!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Checks_the_receipt_signer_against_a_captured_lnurl_key()
    {
        NostrEvent zap = _data.ZapReceipt(_data.ZapRequest(_receipt.Id));

        CheckList right = Audit(zap, lnurlKey: _data.LnurlServer.PublicKey.Hex);
        CheckList wrong = Audit(zap, lnurlKey: _data.Customer.PublicKey.Hex);

        AssertStatus(right, ClaimCheckNames.ZapReceiptSigner, CheckStatus.Pass);
        AssertOnlyFailure(wrong, ClaimCheckNames.ZapReceiptSigner);
    }

    [Fact]
    public void Fails_the_description_hash_check_when_the_invoice_commits_to_another_zap_request()
    {
        NostrEvent request = _data.ZapRequest(_receipt.Id);
        NostrEvent other = _data.ZapRequest(_receipt.Id, extraTags: [new Tag("lnurl", "lnurl1other")]);
        string invoice = _data.Invoice(21_000, descriptionHashOf: CanonicalJson.Serialize(other));

        CheckList list = Audit(_data.ZapReceipt(request, bolt11: invoice));

        AssertOnlyFailure(list, ClaimCheckNames.ZapDescriptionHash);
    }

    [Fact]
    public void Fails_the_preimage_check_for_a_preimage_of_another_payment()
    {
        CheckList list = Audit(_data.ZapReceipt(_data.ZapRequest(_receipt.Id), preimageHex: Hex('7')));

        AssertOnlyFailure(list, ClaimCheckNames.ZapPreimage);
        AssertStatus(list, ClaimCheckNames.PaymentSettled, CheckStatus.Unverifiable);
    }

    [Fact]
    public void Notes_a_missing_preimage_without_passing_it()
    {
        CheckList list = Audit(_data.ZapReceipt(_data.ZapRequest(_receipt.Id), includePreimage: false));

        AssertStatus(list, ClaimCheckNames.ZapPreimage, CheckStatus.Note);
        Assert.Empty(Failures(list));
    }

    [Fact]
    public void Fails_the_expiry_check_for_a_payment_after_the_invoice_expired()
    {
        NostrEvent request = _data.ZapRequest(_receipt.Id);
        string invoice = _data.Invoice(21_000, descriptionHashOf: CanonicalJson.Serialize(request), timestamp: EndedAt + 10, expiry: 60);

        CheckList list = Audit(_data.ZapReceipt(request, bolt11: invoice, paidAt: EndedAt + 71));

        AssertOnlyFailure(list, ClaimCheckNames.InvoiceNotExpired);
        Assert.Contains("after the invoice expired", list.Find(ClaimCheckNames.InvoiceNotExpired)!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Fails_the_timing_check_for_a_payment_before_the_session_ended()
    {
        NostrEvent request = _data.ZapRequest(_receipt.Id);
        string invoice = _data.Invoice(21_000, descriptionHashOf: CanonicalJson.Serialize(request), timestamp: EndedAt - 100);

        CheckList list = Audit(_data.ZapReceipt(request, bolt11: invoice, paidAt: EndedAt - 50));

        AssertOnlyFailure(list, ClaimCheckNames.PaymentAfterSessionEnd);
    }

    [Fact]
    public void Reports_payment_timing_as_unverifiable_for_a_session_that_has_not_ended()
    {
        CheckList list = ClaimAuditor.AuditZapReceipt(
            _data.ZapReceipt(_data.ZapRequest(_receipt.Id)),
            new ZapAuditContext([_receipt.Id], 21_000, SessionEndedAt: null));

        AssertStatus(list, ClaimCheckNames.PaymentAfterSessionEnd, CheckStatus.Unverifiable);
    }

    [Fact]
    public void Fails_the_amount_check_when_the_invoice_differs_from_the_claimed_amount()
    {
        NostrEvent request = _data.ZapRequest(_receipt.Id, amountMsat: null);
        string invoice = _data.Invoice(20_000, descriptionHashOf: CanonicalJson.Serialize(request));

        CheckList list = Audit(_data.ZapReceipt(request, bolt11: invoice));

        AssertOnlyFailure(list, ClaimCheckNames.InvoiceAmount);
    }

    [Fact]
    public void Fails_the_amount_check_when_the_zap_request_amount_differs_from_the_invoice()
    {
        NostrEvent request = _data.ZapRequest(_receipt.Id, amountMsat: 5_000);

        CheckList list = Audit(_data.ZapReceipt(request, bolt11: _data.Invoice(21_000, descriptionHashOf: CanonicalJson.Serialize(request))));

        AssertOnlyFailure(list, ClaimCheckNames.InvoiceAmount);
        Assert.Contains("zap request amount 5000 msat", list.Find(ClaimCheckNames.InvoiceAmount)!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Fails_the_shape_check_for_a_zap_request_with_two_recipients()
    {
        NostrEvent request = _data.ZapRequest(_receipt.Id, extraTags: [new Tag("p", _data.Customer.PublicKey.Hex)]);

        CheckList list = Audit(_data.ZapReceipt(request));

        AssertOnlyFailure(list, ClaimCheckNames.ZapRequestShape);
        Assert.Contains("has 2 'p' tags", list.Find(ClaimCheckNames.ZapRequestShape)!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Fails_the_zap_request_check_for_an_embedded_request_that_does_not_verify()
    {
        NostrEvent request = _data.ZapRequest(_receipt.Id);
        NostrEvent forged = request with { Content = "forged" };

        CheckList list = Audit(_data.ZapReceipt(forged));

        AssertOnlyFailure(list, ClaimCheckNames.ZapRequestValid);
    }

    [Fact]
    public void Fails_the_zap_request_check_for_a_description_that_is_not_an_event()
    {
        var tags = new List<Tag>
        {
            new("p", _data.Agent.PublicKey.Hex), new("bolt11", _data.Invoice(21_000, descriptionHashOf: "{\"kind\":9734}")),
            new("description", "{\"kind\":9734}"), new("preimage", Convert.ToHexStringLower(_data.Preimage)),
        };
        NostrEvent zap = EventSigner.Sign(new UnsignedEvent(EndedAt + 20, 9735, tags, string.Empty), _data.LnurlServer);

        CheckList list = Audit(zap);

        AssertOnlyFailure(list, ClaimCheckNames.ZapRequestValid);
        Assert.Contains("is not a well-formed Nostr event", list.Find(ClaimCheckNames.ZapRequestValid)!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Fails_the_target_check_for_a_zap_of_another_event()
    {
        CheckList list = Audit(_data.ZapReceipt(_data.ZapRequest(Hex('8'))));

        AssertOnlyFailure(list, ClaimCheckNames.ZapRequestTarget);
    }

    [Fact]
    public void Fails_the_copied_tags_check_when_the_receipt_names_another_recipient()
    {
        CheckList list = Audit(_data.ZapReceipt(_data.ZapRequest(_receipt.Id), receiptP: _data.Customer.PublicKey.Hex));

        AssertOnlyFailure(list, ClaimCheckNames.ZapTagsCopied);
    }

    [Fact]
    public void Fails_the_form_check_for_a_zap_receipt_without_bolt11()
    {
        NostrEvent zap = EventSigner.Sign(new UnsignedEvent(EndedAt + 20, 9735, [new Tag("description", "{}")], string.Empty), _data.LnurlServer);

        CheckList list = Audit(zap);

        AssertOnlyFailure(list, ClaimCheckNames.EventForm);
        Assert.Contains("tag bolt11: is missing or empty", list.Find(ClaimCheckNames.EventForm)!.Reason, StringComparison.Ordinal);
    }

    private CheckList Audit(NostrEvent zap, string? lnurlKey = null) =>
        ClaimAuditor.AuditZapReceipt(zap, new ZapAuditContext([_receipt.Id, _data.Trajectory.SessionCoordinate], 21_000, EndedAt, lnurlKey));

    public void Dispose() => _data.Dispose();
}
