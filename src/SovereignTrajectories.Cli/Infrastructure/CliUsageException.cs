namespace SovereignTrajectories.Cli.Infrastructure;

/// <summary>A user error the CLI reports as one line on stderr with exit code 2 (never a stack trace).</summary>
internal sealed class CliUsageException(string message) : Exception(message);
