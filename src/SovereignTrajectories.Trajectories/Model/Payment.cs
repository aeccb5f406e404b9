namespace SovereignTrajectories.Trajectories.Model;

/// <summary>
/// A payment tied to the run (REPLAY.jsonl <c>Payment</c>): what was paid for the work. Not a
/// step: payments are not published as 39231 events but audited through receipts.
/// </summary>
public sealed record Payment(long AmountMsat)
{
    /// <summary>lightning, cashu, ... (defaults to lightning when an invoice is given).</summary>
    public string? Rail { get; init; }

    public string? Bolt11 { get; init; }

    /// <summary>Hex payment hash.</summary>
    public string? PaymentHash { get; init; }

    /// <summary>Hex preimage, when the payer has it (proves payment for the hash).</summary>
    public string? Preimage { get; init; }

    /// <summary>in (the agent was paid) or out (the agent paid).</summary>
    public string? Direction { get; init; }

    /// <summary>pending, settled, failed, ... as the input says.</summary>
    public string? Status { get; init; }

    public string? Memo { get; init; }

    public DateTimeOffset? Timestamp { get; init; }
}
