namespace SovereignTrajectories.Audit.Claims;

/// <summary>
/// A claim (zap request or receipt, NIP-90 event, RECEIPT.json) does not have the form its spec
/// requires. The message names the input (<see cref="Input"/>: an event id or a file), the field
/// and what is wrong.
/// </summary>
public sealed class ClaimFormatException : FormatException
{
    public ClaimFormatException(string input, string field, string reason, Exception? innerException = null)
        : base($"{input}: {field}: {reason}", innerException)
    {
        Input = input;
        Field = field;
        Reason = reason;
    }

    public string Input { get; }

    public string Field { get; }

    public string Reason { get; }
}
