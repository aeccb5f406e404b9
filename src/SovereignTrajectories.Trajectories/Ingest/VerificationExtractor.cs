using SovereignTrajectories.Nostr.Crypto;
using SovereignTrajectories.Trajectories.Model;
using SovereignTrajectories.Trajectories.Verification;

namespace SovereignTrajectories.Trajectories.Ingest;

/// <summary>
/// Turns a tool call that ran tests, a build or a linter into a <see cref="VerificationStep"/>:
/// the companion placed right after the tool step (the tool step stays, so the tool trail is
/// complete), with exit code, counts read from the output and the output's SHA-256. The in-toto
/// test-result statement is deliberately not built here: its bytes embed the command, which must
/// be redacted first, so <c>TrajectoryPublisherPipeline</c> attaches it after redaction
/// (<c>Mapping.VerificationStatements</c>); <see cref="WithStatement"/> builds it for callers that
/// do not publish.
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
        string outputSha = tool.OutputSha256 ?? Sha256.HexOfUtf8(tool.Output);
        long? duration = durationMs ?? tool.LatencyMs;
        return new VerificationStep(command, kind.Value, exit)
        {
            Passed = counts.Passed,
            Failed = counts.Failed,
            Skipped = counts.Skipped,
            DurationMs = duration,
            Output = tool.OutputTruncated ? null : tool.Output,
            OutputSha256 = outputSha,
            Timestamp = tool.Timestamp,
        };
    }

    /// <summary>
    /// <paramref name="step"/> with its in-toto test-result statement (subject: the output's SHA-256).
    /// Only for steps whose command needs no redaction; publishing attaches statements after redacting.
    /// </summary>
    public static VerificationStep WithStatement(VerificationStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        string outputSha = step.OutputSha256 ?? Sha256.HexOfUtf8(step.Output ?? string.Empty);
        TestResultStatement statement = TestResultStatement.Create(new TestRunInfo(
            step.Command, WireKind(step.Kind), step.ExitCode, step.Passed, step.Failed, step.Skipped)
        {
            OutputSha256 = outputSha,
            DurationMs = step.DurationMs,
        });
        return step with { Statement = new InTotoStatement(statement.Bytes) };
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
