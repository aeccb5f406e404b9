using System.Security.Cryptography;
using System.Text;
using SovereignTrajectories.Trajectories.Model;
using SovereignTrajectories.Trajectories.Verification;

namespace SovereignTrajectories.Trajectories.Ingest;

/// <summary>
/// Turns a tool call that ran tests, a build or a linter into a <see cref="VerificationStep"/>:
/// the companion placed right after the tool step (the tool step stays, so the tool trail is
/// complete), with exit code, counts read from the output, and the in-toto test-result statement.
/// </summary>
public static class VerificationExtractor
{
    /// <summary>
    /// The verification step for <paramref name="tool"/>, or null when its command runs no test,
    /// build or linter. <paramref name="exitCode"/> is the process exit code when the log has it;
    /// otherwise 0 for an ok call and 1 for a failed one.
    /// </summary>
    public static VerificationStep? TryCreate(ToolStep tool, IngestOptions options, int? exitCode = null, long? durationMs = null)
    {
        ArgumentNullException.ThrowIfNull(tool);
        ArgumentNullException.ThrowIfNull(options);
        if (!options.ExtractVerification)
        {
            return null;
        }

        string? command = ShellCommands.FindCommand(tool.InputJson);
        VerificationKind? kind = ShellCommands.Classify(command, options.VerificationRules);
        if (command is null || kind is null)
        {
            return null;
        }

        TestCounts counts = kind == VerificationKind.Test || kind == VerificationKind.Other ? TestOutputParser.Parse(tool.Output) : TestCounts.None;
        int exit = exitCode ?? (tool.Ok && counts.Failed == 0 ? 0 : 1);
        string outputSha = tool.OutputSha256 ?? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(tool.Output)));
        long? duration = durationMs ?? tool.LatencyMs;
        TestResultStatement statement = TestResultStatement.Create(new TestRunInfo(
            command, WireKind(kind.Value), exit, counts.Passed, counts.Failed, counts.Skipped)
        {
            OutputSha256 = outputSha,
            DurationMs = duration,
        });

        return new VerificationStep(command, kind.Value, exit)
        {
            Passed = counts.Passed,
            Failed = counts.Failed,
            Skipped = counts.Skipped,
            DurationMs = duration,
            Output = tool.OutputTruncated ? null : tool.Output,
            OutputSha256 = outputSha,
            Statement = new InTotoStatement(statement.Bytes),
            Timestamp = tool.Timestamp,
        };
    }

    /// <summary>The profile's <c>kind</c> word for <paramref name="kind"/>.</summary>
    public static string WireKind(VerificationKind kind) => kind switch
    {
        VerificationKind.Test => "test",
        VerificationKind.Build => "build",
        VerificationKind.Lint => "lint",
        _ => "other",
    };
}
