namespace SovereignTrajectories.Audit.Claims;

/// <summary>
/// The stable names of the claim and payment checks (profile §6, checklist item 7). Reports, the
/// JSON schema and tests key on these strings; docs/audit-report.md says what each one means.
/// </summary>
public static class ClaimCheckNames
{
    public const string EventSignature = "claim.event.signature";
    public const string EventForm = "claim.event.form";
    public const string EventAuthor = "claim.event.author";

    public const string SessionCoordinate = "claim.session.coordinate";
    public const string SessionEvent = "claim.session.event";
    public const string TrajectoryHash = "claim.trajectory_hash.matches";
    public const string MerkleRoot = "claim.merkle_root.matches";
    public const string Verification = "claim.verification.matches";

    public const string InvoiceValid = "claim.invoice.valid";
    public const string InvoiceAmount = "claim.invoice.amount_matches";
    public const string InvoiceNotExpired = "claim.invoice.not_expired";
    public const string PaymentAfterSessionEnd = "claim.payment.after_session_end";
    public const string PaymentSettled = "claim.payment.settled";

    public const string ZapRequestValid = "claim.zap_request.valid";
    public const string ZapRequestShape = "claim.zap_request.shape";
    public const string ZapRequestTarget = "claim.zap_request.target";
    public const string ZapDescriptionHash = "claim.zap.description_hash";
    public const string ZapPreimage = "claim.zap.preimage";
    public const string ZapTagsCopied = "claim.zap.tags_copied";
    public const string ZapReceiptSigner = "claim.zap.receipt_signer";

    public const string Nip90Request = "claim.nip90.request.valid";
    public const string Nip90Kind = "claim.nip90.kind";
    public const string Nip90E = "claim.nip90.e";
    public const string Nip90P = "claim.nip90.p";
    public const string Nip90FeedbackStatus = "claim.nip90.feedback.status";

    public const string ReceiptJsonSession = "claim.receipt_json.session";
}
