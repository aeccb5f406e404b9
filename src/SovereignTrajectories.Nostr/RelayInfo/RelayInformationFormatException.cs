namespace SovereignTrajectories.Nostr.RelayInfo;

/// <summary>A NIP-11 document with a field of the wrong type; <see cref="Field"/> names it (dotted path).</summary>
public sealed class RelayInformationFormatException : FormatException
{
    public RelayInformationFormatException(string field, string reason)
        : base($"relay information field '{field}': {reason}")
    {
        Field = field;
        Reason = reason;
    }

    public RelayInformationFormatException(string field, string reason, Exception innerException)
        : base($"relay information field '{field}': {reason}", innerException)
    {
        Field = field;
        Reason = reason;
    }

    public string Field { get; }

    public string Reason { get; }
}
