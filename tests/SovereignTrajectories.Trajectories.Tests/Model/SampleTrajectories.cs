using System.Text;
using SovereignTrajectories.Nostr.Crypto;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Trajectories.Tests.Model;

/// <summary>Trajectories used across the model, mapping and replay tests.</summary>
internal static class SampleTrajectories
{
    public static readonly DateTimeOffset Start = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>BIP-340 test vector 1's secret key (bitcoin/bips bip-0340/test-vectors.csv); a public test key.</summary>
    public static SecretKey Key() => SecretKey.FromHex("b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfef");

    public static SessionInfo Session(string sid = "run-20261101T120000-0a1b2c3d") => new(sid, Start)
    {
        EndedAt = Start.AddMinutes(10),
        Agent = new AgentInfo("claude-code", "2.0.14"),
        Model = "claude-opus-4",
        Repo = "https://github.com/example/repo",
        Sha = "0123456789abcdef0123456789abcdef01234567",
        Participants = ["f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9"],
        Tick = "tick-42",
        Visibility = TrajectoryVisibility.Public,
    };

    /// <summary>One step of every type in the profile, with decision metadata and odd characters.</summary>
    public static Trajectory EveryStepType()
    {
        DateTimeOffset t = Start;
        byte[] statement = Encoding.UTF8.GetBytes("{\"_type\":\"https://in-toto.io/Statement/v1\",\"predicate\":{\"result\":\"PASSED\"}}");
        Step[] steps =
        [
            new UserStep("Fix the login bug \"now\"\n\u2028 😀") { Timestamp = t },
            new ThinkingStep("Let me look at auth.rs") { Timestamp = t.AddSeconds(1), Sig = "c2lnbmF0dXJl" },
            new AgentStep("Looking now.") { Timestamp = t.AddSeconds(2), Model = "claude-opus-4", Usage = new Usage(100, 50, 10, 0.0123m), Confidence = 0.75, Signature = "Plan" },
            new ToolStartStep("Bash", "c1") { Timestamp = t.AddSeconds(3), Command = "cargo test", InputJson = "{\"command\":\"cargo test\"}" },
            new ToolProgressStep("c1", "64/128 passed") { Timestamp = t.AddSeconds(4) },
            new ObservationStep("c1", "ok") { Timestamp = t.AddSeconds(5), Content = "done" },
            new ToolStep("Bash", "c1", "{\"command\":\"cargo test\",\"timeout\":120000,\"env\":{\"B\":1,\"A\":[true,null,2.5]}}", "test result: ok. 128 passed\n", true) { Timestamp = t.AddSeconds(6), LatencyMs = 5300 },
            new SubagentStep("explore") { Timestamp = t.AddSeconds(7), Query = "find auth", Result = "src/auth.rs" },
            new DelegationStep("f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9") { Timestamp = t.AddSeconds(8), Scope = "skill", MaxAmount = 500 },
            new QuestionStep("Which auth method?") { Timestamp = t.AddSeconds(9), Options = ["OAuth", "JWT"] },
            new TodosStep([new TodoItem("Fix bug", "completed"), new TodoItem("Add test", "pending")]) { Timestamp = t.AddSeconds(10) },
            new PhaseStep("verify") { Timestamp = t.AddSeconds(11) },
            new VerificationStep("cargo test", VerificationKind.Test, 0) { Timestamp = t.AddSeconds(12), Passed = 128, Failed = 0, Skipped = 2, DurationMs = 5300, Output = "ok", Statement = new InTotoStatement(statement) },
            new SessionEndStep { Timestamp = t.AddSeconds(13), Summary = "Fixed auth bug", Status = "success", TokensTotal = 5000 },
            new RewardStep(RewardSignal.Accept, 1.0, RewardSource.Explicit) { Timestamp = t.AddSeconds(14), Comment = "thanks" },
        ];
        return Trajectory.Create(Session(), steps) with
        {
            Payments = [new Payment(21000) { Bolt11 = "lnbc210n1example", PaymentHash = new string('a', 64), Status = "settled", Timestamp = t.AddMinutes(11) }],
        };
    }

    /// <summary>
    /// What the events can carry of <paramref name="t"/>: the profile has no place for the agent
    /// name, payments, notes, verification output text or statement bytes (only their hashes),
    /// and session times are whole seconds.
    /// </summary>
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
}
