namespace SovereignTrajectories.Nostr.Filters;

/// <summary>A NIP-01 filter that cannot be read; <see cref="Field"/> names the offending field.</summary>
public sealed class FilterFormatException : FormatException
{
    public FilterFormatException(string field, string reason)
        : base($"filter field '{field}': {reason}")
    {
        Field = field;
        Reason = reason;
    }

    public FilterFormatException(string field, string reason, Exception innerException)
        : base($"filter field '{field}': {reason}", innerException)
    {
        Field = field;
        Reason = reason;
    }

    /// <summary>The JSON key at fault (<c>ids</c>, <c>#e</c>, ...), or <c>json</c> for syntax errors.</summary>
    public string Field { get; }

    public string Reason { get; }
}
