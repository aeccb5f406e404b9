namespace SovereignTrajectories.Trajectories.Receipts;

/// <summary>A 39211 receipt event does not follow profile §6. The message names the event, the field and what is wrong.</summary>
public sealed class TickReceiptFormatException : FormatException
{
    public TickReceiptFormatException(string eventId, string field, string reason, Exception? innerException = null)
        : base($"receipt event {eventId}: {field}: {reason}", innerException)
    {
        EventId = eventId;
        Field = field;
        Reason = reason;
    }

    public string EventId { get; }

    /// <summary>The tag or content field at fault, e.g. <c>tag merkle_root</c>.</summary>
    public string Field { get; }

    public string Reason { get; }
}
