using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Trajectories.Mapping;
using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Audit.Tests.Tamper;

/// <summary>
/// A realistic run put through the real publisher pipeline (redact, attach statements, map, sign with
/// a test key): user, thinking, agent with usage, tools (one output long enough to be cut to a preview),
/// a failing then a passing test run, and a reward.
/// </summary>
internal static class SampleRun
{
    public const long StartedAt = 1_699_999_000;
    public const long EndedAt = 1_699_999_900;

    /// <summary>Text that stresses NIP-01 escaping and UTF-8: quotes, backslashes, controls, U+2028, emoji, RTL, combining marks, CJK.</summary>
    public const string Unicode = "héllo \"quoted\" \\ back\nnew\ttab\r\u0001\u001f ctrl \u2028 \u007f emoji \U0001F600\U0001F469\u200D\U0001F4BB עברית مرحبا e\u0301 漢字 <>&' <script>alert(1)</script>";

    public static PublishResult Publish(SecretKey key, string sid, bool unicode = false, bool lastTestPasses = true, int longOutputChars = 150_000)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new TrajectoryPublisherPipeline().Publish(Create(sid, unicode, lastTestPasses, longOutputChars), key);
    }

    public static Trajectory Create(string sid, bool unicode = false, bool lastTestPasses = true, int longOutputChars = 150_000)
    {
        string extra = unicode ? " " + Unicode : string.Empty;
        DateTimeOffset At(int i) => DateTimeOffset.FromUnixTimeSeconds(StartedAt + (i * 10));
        var builder = new System.Text.StringBuilder();
        for (int i = 0; builder.Length < longOutputChars; i++)
        {
            builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"line {i:D6}: build output{(unicode ? " \U0001F600é" : " ......")}\n");
        }

        string longOutput = builder.ToString();
        var steps = new List<Step>
        {
            new UserStep("Fix the failing test in Parser.cs" + extra) { Timestamp = At(1) },
            new ThinkingStep("The parser drops the last token." + extra) { Timestamp = At(2) },
            new AgentStep("I will look at the parser first." + extra) { Timestamp = At(3), Model = "test-model", Usage = new Usage(1200, 80, 300, 0.0123m) },
            new ToolStep("bash", "call-1", "{\"cmd\":\"ls src\",\"note\":\"" + (unicode ? "\\u00e9\\ud83d\\ude00" : "x") + "\"}", "Parser.cs\nLexer.cs" + extra, true) { Timestamp = At(4), LatencyMs = 12 },
            new VerificationStep("dotnet test", VerificationKind.Test, 1) { Timestamp = At(5), Passed = 11, Failed = 1, Skipped = 0, DurationMs = 3100, Output = "1 failed" + extra },
            new ToolStep("edit", "call-2", "{\"path\":\"src/Parser.cs\"}", longOutput, true) { Timestamp = At(6), LatencyMs = 40 },
            new AgentStep("Fixed the off-by-one." + extra) { Timestamp = At(7), Model = "test-model", Usage = new Usage(2400, 120, 1200, 0.0311m) },
            new VerificationStep("dotnet test", VerificationKind.Test, lastTestPasses ? 0 : 1) { Timestamp = At(8), Passed = lastTestPasses ? 12 : 11, Failed = lastTestPasses ? 0 : 1, Skipped = 0, DurationMs = 2900, Output = "done" + extra },
            new RewardStep(RewardSignal.Accept, 1.0, RewardSource.Explicit) { Timestamp = At(9), Comment = "thanks" + extra },
        };
        var session = new SessionInfo(sid, DateTimeOffset.FromUnixTimeSeconds(StartedAt))
        {
            EndedAt = DateTimeOffset.FromUnixTimeSeconds(EndedAt),
            Model = "test-model",
            Repo = "https://example.com/repo.git",
        };
        return Trajectory.Create(session, steps);
    }
}
