namespace SovereignTrajectories.Worker.Outbox;

/// <summary>
/// A commit would give a step that already has an event a second, different one (equivocation), or
/// would otherwise contradict what the outbox holds. Nothing of the commit was written.
/// </summary>
public sealed class OutboxConflictException : InvalidOperationException
{
    public OutboxConflictException(string message)
        : base(message)
    {
    }

    public OutboxConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
