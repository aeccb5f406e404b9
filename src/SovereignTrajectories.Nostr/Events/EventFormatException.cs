namespace SovereignTrajectories.Nostr.Events;

/// <summary>
/// An event that breaks NIP-01's wire rules. <see cref="Field"/> names where (<c>created_at</c>,
/// <c>tags[3][1]</c>, <c>json</c> for the document as a whole) and <see cref="Reason"/> says what is wrong.
/// </summary>
public sealed class EventFormatException : FormatException
{
    public EventFormatException(string field, string reason)
        : base($"{field}: {reason}")
    {
        Field = field;
        Reason = reason;
    }

    public EventFormatException(string field, string reason, Exception innerException)
        : base($"{field}: {reason}", innerException)
    {
        Field = field;
        Reason = reason;
    }

    /// <summary>The JSON field at fault, e.g. <c>pubkey</c> or <c>tags[0][1]</c>.</summary>
    public string Field { get; }

    /// <summary>What is wrong with it, without the field name.</summary>
    public string Reason { get; }
}
