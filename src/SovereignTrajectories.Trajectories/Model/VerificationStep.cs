namespace SovereignTrajectories.Trajectories.Model;

/// <summary>
/// A test, build or lint run: the ground truth a trajectory is measured against. The full
/// <see cref="Output"/> stays local; events carry <c>output_sha256</c>. <see cref="Statement"/>
/// holds the in-toto statement bytes when at hand; a step read back from events has only
/// <see cref="StatementSha256Hex"/>.
/// </summary>
public sealed record VerificationStep(string Command, VerificationKind Kind, int ExitCode) : Step
{
    public int Passed { get; init; }

    public int Failed { get; init; }

    public int Skipped { get; init; }

    public long? DurationMs { get; init; }

    /// <summary>The run's full output, when at hand (never published, only hashed).</summary>
    public string? Output { get; init; }

    /// <summary>Hex SHA-256 of the full output when known but the output is not at hand.</summary>
    public string? OutputSha256 { get; init; }

    public InTotoStatement? Statement { get; init; }

    /// <summary>Hex SHA-256 of the statement when only the hash is known (read back from events).</summary>
    public string? StatementSha256 { get; init; }

    /// <summary>The statement hash, from the bytes when present, else <see cref="StatementSha256"/>.</summary>
    public string? StatementSha256Hex => Statement?.StatementSha256 ?? StatementSha256;

    /// <summary>True when the run succeeded: exit code 0 and no failed tests.</summary>
    public bool Succeeded => ExitCode == 0 && Failed == 0;

    public override string TypeName => StepTypes.Verification;
}
