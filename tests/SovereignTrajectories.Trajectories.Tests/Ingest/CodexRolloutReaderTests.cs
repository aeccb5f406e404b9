using SovereignTrajectories.Trajectories.Ingest;
using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Trajectories.Tests.Ingest;

public sealed class CodexRolloutReaderTests
{
    private const string Meta = """{"timestamp":"2026-01-01T00:00:00Z","type":"session_meta","payload":{"id":"c-1","cli_version":"0.63.0","git":{"commit_hash":"9c1e4b7a2f0d3e6c8b5a1f4e7d2c9b0a3e6f1d48"}}}""";
    private const string Ctx = """{"timestamp":"2026-01-01T00:00:00Z","type":"turn_context","payload":{"model":"gpt-5-codex"}}""";
    private const string Ask = """{"timestamp":"2026-01-01T00:00:01Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"fix it"}]}}""";
    private const string Started = """{"timestamp":"2026-01-01T00:00:01Z","type":"event_msg","payload":{"type":"task_started"}}""";
    private const string Call = """{"timestamp":"2026-01-01T00:00:02Z","type":"response_item","payload":{"type":"function_call","name":"shell_command","arguments":"{\"command\":\"cargo test\"}","call_id":"call_1"}}""";
    private const string Output = """{"timestamp":"2026-01-01T00:00:04Z","type":"response_item","payload":{"type":"function_call_output","call_id":"call_1","output":"Exit code: 101\nWall time: 2.5 seconds\nOutput:\ntest result: FAILED. 5 passed; 1 failed; 0 ignored; 0 measured"}}""";
    private const string Count1 = """{"timestamp":"2026-01-01T00:00:04Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":100,"cached_input_tokens":50,"output_tokens":10,"total_tokens":110},"last_token_usage":{"input_tokens":100,"cached_input_tokens":50,"output_tokens":10,"total_tokens":110}}}}""";
    private const string Answer = """{"timestamp":"2026-01-01T00:00:05Z","type":"response_item","payload":{"type":"message","role":"assistant","content":[{"type":"output_text","text":"One test fails."}]}}""";
    private const string Count2 = """{"timestamp":"2026-01-01T00:00:05Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":220,"cached_input_tokens":150,"output_tokens":30,"total_tokens":250},"last_token_usage":{"input_tokens":120,"cached_input_tokens":100,"output_tokens":20,"total_tokens":140}}}}""";
    private const string Complete = """{"timestamp":"2026-01-01T00:00:06Z","type":"event_msg","payload":{"type":"task_complete"}}""";

    private static string Log(params string[] lines) => string.Join('\n', lines) + "\n";

    [Fact]
    public async Task Usage_sums_equal_the_last_total_token_count_even_when_counts_repeat()
    {
        Trajectory t = (await IngestSamples.ReadAsync(Log(Meta, Ctx, Ask, Started, Call, Output, Count1, Answer, Count2, Count2, Complete), TrajectoryFormat.Codex)).Single();
        Assert.Equal(new Usage(220, 30, 150), t.TotalUsage);
        Assert.Equal("gpt-5-codex", t.Session.Model);
        Assert.Equal("9c1e4b7a2f0d3e6c8b5a1f4e7d2c9b0a3e6f1d48", t.Session.Sha);
        Assert.True(t.Session.IsComplete);
    }

    [Fact]
    public async Task Reads_exit_code_and_wall_time_from_the_text_output_form()
    {
        Trajectory t = (await IngestSamples.ReadAsync(Log(Meta, Ask, Call, Output, Answer, Complete), TrajectoryFormat.Codex)).Single();
        ToolStep tool = Assert.Single(t.Steps.OfType<ToolStep>());
        Assert.False(tool.Ok);
        Assert.Equal(2500, tool.LatencyMs);
        Assert.StartsWith("test result", tool.Output, StringComparison.Ordinal);
        VerificationStep v = Assert.Single(t.Verifications);
        Assert.Equal((101, 5, 1, "cargo test"), (v.ExitCode, v.Passed, v.Failed, v.Command));
    }

    [Fact]
    public async Task Turn_that_never_completed_makes_the_run_incomplete()
    {
        Trajectory t = (await IngestSamples.ReadAsync(Log(Meta, Ask, Started, Call, Output), TrajectoryFormat.Codex)).Single();
        Assert.False(t.Session.IsComplete);
        Assert.Contains(t.Notes, n => n.Code == "incomplete" && n.Message.Contains("never completed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Encrypted_reasoning_without_summary_is_dropped_with_a_note()
    {
        string reasoning = """{"timestamp":"2026-01-01T00:00:02Z","type":"response_item","payload":{"type":"reasoning","summary":[],"encrypted_content":"gAAAA"}}""";
        Trajectory t = (await IngestSamples.ReadAsync(Log(Meta, Ask, reasoning, Answer), TrajectoryFormat.Codex)).Single();
        Assert.DoesNotContain(t.Steps, s => s is ThinkingStep);
        Assert.Contains(t.Notes, n => n.Code == "encrypted-reasoning");
    }

    [Fact]
    public async Task Missing_payload_is_named_in_strict_mode()
    {
        var ex = await Assert.ThrowsAsync<IngestException>(() => IngestSamples.ReadAsync(
            Log(Meta, """{"timestamp":"2026-01-01T00:00:02Z","type":"response_item"}"""), TrajectoryFormat.Codex, new IngestOptions { SkipBadLines = false }));
        Assert.Equal((2L, "payload"), (ex.Line, ex.Field));
    }
}
