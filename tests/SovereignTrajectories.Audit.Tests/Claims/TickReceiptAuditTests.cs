using SovereignTrajectories.Audit.Checks;
using SovereignTrajectories.Audit.Claims;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Trajectories.Receipts;
using static SovereignTrajectories.Audit.Tests.Claims.ClaimTestData;

namespace SovereignTrajectories.Audit.Tests.Claims;

public sealed class TickReceiptAuditTests : IDisposable
{
    private readonly ClaimTestData _data = new();

    [Fact]
    public void Passes_every_check_for_an_honest_receipt()
    {
        NostrEvent receipt = _data.SignReceipt(_data.Receipt());

        CheckList list = ClaimAuditor.AuditTickReceipt(receipt, _data.Trajectory);

        Assert.Empty(Failures(list));
        Assert.True(list.AllRequiredPass);
        foreach (string name in new[]
        {
            ClaimCheckNames.EventSignature, ClaimCheckNames.EventForm, ClaimCheckNames.EventAuthor, ClaimCheckNames.SessionCoordinate,
            ClaimCheckNames.SessionEvent, ClaimCheckNames.TrajectoryHash, ClaimCheckNames.MerkleRoot, ClaimCheckNames.Verification,
            ClaimCheckNames.InvoiceValid, ClaimCheckNames.InvoiceAmount,
        })
        {
            AssertStatus(list, name, CheckStatus.Pass);
        }

        Assert.All(list, r => Assert.Contains(receipt.Id, r.EvidenceIds));
    }

    [Fact]
    public void Fails_session_checks_for_a_receipt_pointing_at_another_run()
    {
        TickReceipt other = _data.Receipt() with
        {
            SessionId = "run-other",
            SessionCoordinate = $"39230:{_data.Agent.PublicKey.Hex}:run-other",
            TrajectoryEventId = Hex('9'),
        };

        CheckList list = ClaimAuditor.AuditTickReceipt(_data.SignReceipt(other), _data.Trajectory);

        Assert.Equal([ClaimCheckNames.SessionCoordinate, ClaimCheckNames.SessionEvent], Failures(list));
    }

    [Fact]
    public void Warns_when_the_receipt_pins_an_older_session_version()
    {
        CheckList list = ClaimAuditor.AuditTickReceipt(_data.SignReceipt(_data.Receipt() with { TrajectoryEventId = Hex('0') }), _data.Trajectory);

        AssertStatus(list, ClaimCheckNames.SessionEvent, CheckStatus.Warn);
        Assert.True(list.AllRequiredPass);
    }

    [Fact]
    public void Fails_only_the_hash_check_for_a_wrong_trajectory_hash()
    {
        CheckList list = ClaimAuditor.AuditTickReceipt(_data.SignReceipt(_data.Receipt() with { TrajectoryHash = Hex('f') }), _data.Trajectory);

        AssertOnlyFailure(list, ClaimCheckNames.TrajectoryHash);
    }

    [Fact]
    public void Fails_only_the_root_check_for_a_wrong_merkle_root_or_size()
    {
        CheckList wrongRoot = ClaimAuditor.AuditTickReceipt(_data.SignReceipt(_data.Receipt() with { MerkleRoot = Hex('f') }), _data.Trajectory);
        CheckList wrongSize = ClaimAuditor.AuditTickReceipt(_data.SignReceipt(_data.Receipt() with { MerkleSize = 4 }), _data.Trajectory);

        AssertOnlyFailure(wrongRoot, ClaimCheckNames.MerkleRoot);
        AssertOnlyFailure(wrongSize, ClaimCheckNames.MerkleRoot);
    }

    [Fact]
    public void Fails_the_verification_check_when_passed_is_claimed_over_a_failing_recorded_verification()
    {
        ResolvedTrajectory failing = _data.Trajectory with { VerificationPassed = false };

        CheckList list = ClaimAuditor.AuditTickReceipt(_data.SignReceipt(_data.Receipt()), failing);

        AssertOnlyFailure(list, ClaimCheckNames.Verification);
        Assert.Contains("claim says verification passed, the recorded verification failed", list.Find(ClaimCheckNames.Verification)!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Fails_the_verification_check_for_a_wrong_digest()
    {
        CheckList list = ClaimAuditor.AuditTickReceipt(_data.SignReceipt(_data.Receipt() with { VerificationDigest = Hex('e') }), _data.Trajectory);

        AssertOnlyFailure(list, ClaimCheckNames.Verification);
    }

    [Fact]
    public void Fails_the_author_check_for_a_receipt_signed_by_another_key()
    {
        using SecretKey stranger = SecretKey.Generate();

        CheckList list = ClaimAuditor.AuditTickReceipt(_data.SignReceipt(_data.Receipt(), stranger), _data.Trajectory);

        AssertOnlyFailure(list, ClaimCheckNames.EventAuthor);
    }

    [Fact]
    public void Fails_the_signature_check_for_a_receipt_edited_without_re_signing()
    {
        NostrEvent receipt = _data.SignReceipt(_data.Receipt());
        NostrEvent edited = receipt with { Content = receipt.Content.Replace("\"total_events\":5", "\"total_events\":6", StringComparison.Ordinal) };

        CheckList list = ClaimAuditor.AuditTickReceipt(edited, _data.Trajectory);

        AssertOnlyFailure(list, ClaimCheckNames.EventSignature);
    }

    [Fact]
    public void Fails_the_amount_check_when_the_invoice_amount_differs_from_the_claimed_amount()
    {
        TickReceipt receipt = _data.Receipt(amountMsat: 21_000, bolt11: _data.Invoice(42_000));

        CheckList list = ClaimAuditor.AuditTickReceipt(_data.SignReceipt(receipt), _data.Trajectory);

        AssertOnlyFailure(list, ClaimCheckNames.InvoiceAmount);
        Assert.Contains("invoice amount 42000 msat differs from the claimed amount 21000 msat", list.Find(ClaimCheckNames.InvoiceAmount)!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Fails_the_invoice_check_for_an_invoice_with_a_bad_checksum()
    {
        string invoice = _data.Invoice(21_000);
        string broken = invoice[..^1] + (invoice[^1] == 'q' ? 'p' : 'q');

        CheckList list = ClaimAuditor.AuditTickReceipt(_data.SignReceipt(_data.Receipt(bolt11: broken)), _data.Trajectory);

        AssertOnlyFailure(list, ClaimCheckNames.InvoiceValid);
        Assert.Contains("bad checksum", list.Find(ClaimCheckNames.InvoiceValid)!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Fails_the_form_check_for_a_malformed_receipt_naming_the_tag()
    {
        UnsignedEvent template = TickReceiptBuilder.Build(_data.Receipt(), EndedAt + 5);
        template = template with { Tags = new TagList(template.Tags.Where(t => t.Name != "trajectory")) };

        CheckList list = ClaimAuditor.AuditTickReceipt(EventSigner.Sign(template, _data.Agent), _data.Trajectory);

        AssertOnlyFailure(list, ClaimCheckNames.EventForm);
        Assert.Contains("tag trajectory: is missing", list.Find(ClaimCheckNames.EventForm)!.Reason, StringComparison.Ordinal);
    }

    public void Dispose() => _data.Dispose();
}
