namespace SovereignTrajectories.Cli.Tests.Support;

/// <summary>What a <c>sovtraj</c> process returned.</summary>
public sealed record SovtrajResult(int ExitCode, string StdOut, string StdErr)
{
    public string[] Lines => StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{StdOut}\nstderr:\n{StdErr}";
}
