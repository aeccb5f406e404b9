namespace SovereignTrajectories.Worker.Intake;

/// <summary>An append or feedback named a session the outbox has never committed.</summary>
public sealed class SessionNotFoundException : InvalidOperationException
{
    public SessionNotFoundException(string sid)
        : base($"session '{sid}' is not known to this worker")
    {
        Sid = sid;
    }

    public SessionNotFoundException(string sid, string message)
        : base(message)
    {
        Sid = sid;
    }

    /// <summary>The unknown session id.</summary>
    public string Sid { get; }
}
