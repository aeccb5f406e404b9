namespace SovereignTrajectories.Audit.Claims;

/// <summary>
/// One <c>payments[]</c> entry of a RECEIPT.json. The schema leaves payments loosely defined, so the
/// reader accepts the common spellings (<c>amount_msat</c>/<c>amount_msats</c>/<c>amount_sats</c>,
/// <c>bolt11</c>/<c>invoice</c>, <c>preimage</c>/<c>payment_preimage</c>, <c>zap_receipt_id</c>/<c>event_id</c>)
/// and keeps what it finds; absent values are null.
/// </summary>
public sealed record OpenAgentsReceiptPayment(
    int Index,
    string? Rail,
    long? AmountMsat,
    string? Bolt11,
    string? PaymentHash,
    string? Preimage,
    string? ZapReceiptId,
    string? Status);
