namespace SovereignTrajectories.Audit.Fetching;

/// <summary>
/// The audit could not run: no source reachable, the target or its data missing. The message says
/// which relay, file or event. The CLI maps it to exit code 2.
/// </summary>
public sealed class AuditDataException : Exception
{
    public AuditDataException(string message)
        : base(message)
    {
    }

    public AuditDataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
