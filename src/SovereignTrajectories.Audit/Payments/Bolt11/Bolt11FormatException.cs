namespace SovereignTrajectories.Audit.Payments.Bolt11;

/// <summary>
/// A BOLT 11 invoice was rejected. The message names the invoice (its first characters) and what is
/// wrong with it; <see cref="Reason"/> carries the bare reason for check tables.
/// </summary>
public sealed class Bolt11FormatException : FormatException
{
    public Bolt11FormatException(string invoice, string reason)
        : base($"BOLT 11 invoice {Describe(invoice)}: {reason}")
    {
        Reason = reason;
    }

    public Bolt11FormatException(string invoice, string reason, Exception innerException)
        : base($"BOLT 11 invoice {Describe(invoice)}: {reason}", innerException)
    {
        Reason = reason;
    }

    /// <summary>What is wrong, without the invoice prefix.</summary>
    public string Reason { get; }

    private static string Describe(string invoice) =>
        invoice is null ? "(null)" : invoice.Length <= 24 ? $"'{invoice}'" : $"'{invoice[..20]}...' ({invoice.Length} chars)";
}
