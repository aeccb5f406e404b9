using SovereignTrajectories.Nostr.Crypto;
using SovereignTrajectories.Trajectories.Json;
using SovereignTrajectories.Trajectories.Model;
using SovereignTrajectories.Trajectories.Verification;

namespace SovereignTrajectories.Trajectories.Mapping;

/// <summary>
/// Gives every verification step that has neither statement bytes nor a statement hash an
/// in-toto test-result statement (profile §5.3), built once from the step so its hash is fixed.
/// </summary>
public static class VerificationStatements
{
    public static Trajectory Attach(Trajectory trajectory)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        SessionInfo s = trajectory.Session;
        return trajectory with { Steps = ValueList.From(trajectory.Steps.Select(step => Attach(step, s))) };
    }

    public static Step Attach(Step step, SessionInfo session)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(session);
        if (step is not VerificationStep v || v.StatementSha256Hex is not null)
        {
            return step;
        }

        bool shaIsCommit = session.Sha is { Length: 40 or 64 } sha && sha.All(char.IsAsciiHexDigit);
        var info = new TestRunInfo(v.Command, WireNames.Of(v.Kind), v.ExitCode, v.Passed, v.Failed, v.Skipped)
        {
            Repo = shaIsCommit ? session.Repo : null,
            Sha = shaIsCommit ? session.Sha : null,
            OutputSha256 = v.Output is null ? v.OutputSha256 : Sha256.HexOfUtf8(v.Output),
            DurationMs = v.DurationMs,
        };
        TestResultStatement statement = TestResultStatement.Create(info);
        return v with { Statement = new InTotoStatement(statement.Bytes) };
    }
}
