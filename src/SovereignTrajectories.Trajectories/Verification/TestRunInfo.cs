namespace SovereignTrajectories.Trajectories.Verification;

/// <summary>
/// What is known about one test/build/lint run, the input of <see cref="TestResultStatement.Create"/>.
/// The subject is the repository commit (<see cref="Repo"/> + <see cref="Sha"/>) or, when there is none, the
/// SHA-256 of the run's output (<see cref="OutputSha256"/>); with neither, the SHA-256 of the command (subject name
/// <c>command</c>).
/// The command must already be redacted: the statement is stored and hashed as is.
/// </summary>
/// <param name="Command">The command line that was run, e.g. <c>dotnet test</c>.</param>
/// <param name="Kind">One of <c>test</c>, <c>build</c>, <c>lint</c>, <c>other</c>.</param>
/// <param name="ExitCode">The process exit code.</param>
/// <param name="Passed">Number of passed tests (0 when not a test run or unknown).</param>
/// <param name="Failed">Number of failed tests.</param>
/// <param name="Skipped">Number of skipped tests.</param>
public sealed record TestRunInfo(string Command, string Kind, int ExitCode, int Passed, int Failed, int Skipped)
{
    /// <summary>The verification kinds the profile allows.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["test", "build", "lint", "other"];

    /// <summary>Names of the tests that passed, when the harness reported them.</summary>
    public IReadOnlyList<string> PassedTests { get; init; } = [];

    /// <summary>Names of the tests that passed with warnings.</summary>
    public IReadOnlyList<string> WarnedTests { get; init; } = [];

    /// <summary>Names of the tests that failed.</summary>
    public IReadOnlyList<string> FailedTests { get; init; } = [];

    /// <summary>Repository URL of the subject, if any.</summary>
    public string? Repo { get; init; }

    /// <summary>Git commit of the subject (40 or 64 hex), if any.</summary>
    public string? Sha { get; init; }

    /// <summary>Lower-case hex SHA-256 of the full output, used as the subject when there is no commit.</summary>
    public string? OutputSha256 { get; init; }

    /// <summary>Link to the run (CI job), if any.</summary>
    public string? Url { get; init; }

    /// <summary>Wall time of the run in milliseconds, if known.</summary>
    public long? DurationMs { get; init; }
}
