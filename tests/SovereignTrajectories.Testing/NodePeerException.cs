namespace SovereignTrajectories.Testing;

/// <summary>A Node peer script failed: it exited non-zero or ran past its timeout.</summary>
public sealed class NodePeerException(string message, int? exitCode, string stderrTail, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The exit code, or null when the script was killed for running too long.</summary>
    public int? ExitCode { get; } = exitCode;

    /// <summary>The end of what the script wrote to stderr.</summary>
    public string StderrTail { get; } = stderrTail;
}
