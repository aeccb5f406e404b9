using System.Text;
using SovereignTrajectories.Nostr.Crypto;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Worker.Tests.EndToEnd;

/// <summary>Agent runs built in code for the worker tests.</summary>
internal static class TestRuns
{
    public static readonly DateTimeOffset Start = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>BIP-340 test vector 1's secret key (bitcoin/bips bip-0340/test-vectors.csv): a public test key.</summary>
    public const string KeyHex = "b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfef";

    public static SecretKey Key() => SecretKey.FromHex(KeyHex);

    /// <summary>A coding run with <paramref name="steps"/> steps: user, agent, tool, a failing then passing test, and (when ended) a session end.</summary>
    public static Trajectory Run(string sid, int steps = 8, bool ended = true, DateTimeOffset? start = null)
    {
        DateTimeOffset t = start ?? Start;
        var list = new List<Step>
        {
            new UserStep("Fix the failing login test") { Timestamp = t },
        };
        for (int i = 1; list.Count < steps; i++)
        {
            DateTimeOffset at = t.AddSeconds(i);
            list.Add((i % 4) switch
            {
                1 => new AgentStep($"Looking at step {i}") { Timestamp = at, Model = "test-model", Usage = new Usage(100, 20, 5, 0.001m) },
                2 => new ToolStep("Bash", $"call-{i}", $"{{\"command\":\"cat file{i}.txt\"}}", $"contents of file {i}\n", true) { Timestamp = at, LatencyMs = 12 },
                3 => Verification(i, at, passed: i > 4),
                _ => new AgentStep($"Done with part {i}") { Timestamp = at },
            });
        }

        var session = new SessionInfo(sid, t) { Model = "test-model", EndedAt = ended ? t.AddSeconds(steps + 1) : null };
        return Trajectory.Create(session, list);
    }

    /// <summary>What the events can carry of a prepared (redacted) run: no agent name, payments, notes, statement bytes; whole-second times.</summary>
    public static Trajectory AsPublished(Trajectory t) => Trajectory.Create(
        t.Session with
        {
            Agent = null,
            StartedAt = DateTimeOffset.FromUnixTimeSeconds(t.Session.StartedAt.ToUnixTimeSeconds()),
            EndedAt = t.Session.EndedAt is { } e ? DateTimeOffset.FromUnixTimeSeconds(e.ToUnixTimeSeconds()) : null,
        },
        t.Steps.Select(s => s switch
        {
            VerificationStep v => v with
            {
                Output = null,
                OutputSha256 = v.Output is null ? v.OutputSha256 : Sha256.HexOfUtf8(v.Output),
                Statement = null,
                StatementSha256 = v.StatementSha256Hex,
            },
            _ => s,
        }));

    private static VerificationStep Verification(int i, DateTimeOffset at, bool passed)
    {
        string result = passed ? "PASSED" : "FAILED";
        byte[] statement = Encoding.UTF8.GetBytes($"{{\"_type\":\"https://in-toto.io/Statement/v1\",\"predicate\":{{\"result\":\"{result}\",\"n\":{i}}}}}");
        return new VerificationStep("dotnet test", VerificationKind.Test, passed ? 0 : 1)
        {
            Timestamp = at,
            Passed = passed ? 10 : 9,
            Failed = passed ? 0 : 1,
            Output = passed ? "all passed" : "1 failed",
            Statement = new InTotoStatement(statement),
        };
    }
}
