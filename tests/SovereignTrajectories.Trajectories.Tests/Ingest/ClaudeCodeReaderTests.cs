using SovereignTrajectories.Trajectories.Ingest;
using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Trajectories.Tests.Ingest;

public sealed class ClaudeCodeReaderTests
{
    private const string User = """{"type":"user","uuid":"u1","sessionId":"s-1","timestamp":"2026-01-01T00:00:00Z","message":{"role":"user","content":"run the tests"}}""";
    private const string Thinking = """{"type":"assistant","uuid":"a1","sessionId":"s-1","timestamp":"2026-01-01T00:00:01Z","message":{"id":"msg_1","model":"claude-x","content":[{"type":"thinking","thinking":"plan","signature":"sig"}],"usage":{"input_tokens":1,"output_tokens":2}}}""";
    private const string Text = """{"type":"assistant","uuid":"a2","sessionId":"s-1","timestamp":"2026-01-01T00:00:02Z","message":{"id":"msg_1","model":"claude-x","content":[{"type":"text","text":"Running them."}],"usage":{"input_tokens":1,"cache_read_input_tokens":10,"output_tokens":5}}}""";
    private const string ToolUse = """{"type":"assistant","uuid":"a3","sessionId":"s-1","timestamp":"2026-01-01T00:00:03Z","message":{"id":"msg_1","model":"claude-x","content":[{"type":"tool_use","id":"toolu_1","name":"Bash","input":{"command":"npm test"}}],"usage":{"input_tokens":1,"cache_read_input_tokens":10,"output_tokens":9}}}""";
    private const string Result = """{"type":"user","uuid":"u2","sessionId":"s-1","timestamp":"2026-01-01T00:00:05Z","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"Exit code 1\nTests:       1 failed, 4 passed, 5 total","is_error":true}]}}""";

    private static string Log(params string[] lines) => string.Join('\n', lines) + "\n";

    [Fact]
    public async Task One_message_id_is_one_agent_step_with_its_last_usage_and_thinking_first()
    {
        Trajectory t = (await IngestSamples.ReadAsync(Log(User, Thinking, Text, ToolUse, Result), TrajectoryFormat.Claude)).Single();
        Assert.Equal(["user", "thinking", "agent", "tool", "verification"], t.Steps.Select(s => s.TypeName));
        AgentStep agent = Assert.Single(t.Steps.OfType<AgentStep>());
        Assert.Equal("Running them.", agent.Content);
        Assert.Equal(new Usage(11, 9, 10), agent.Usage);
        Assert.Equal("sig", Assert.Single(t.Steps.OfType<ThinkingStep>()).Sig);
    }

    [Fact]
    public async Task Pairs_tool_result_by_tool_use_id_and_reads_the_exit_code()
    {
        Trajectory t = (await IngestSamples.ReadAsync(Log(User, ToolUse, Result), TrajectoryFormat.Claude)).Single();
        ToolStep tool = Assert.Single(t.Steps.OfType<ToolStep>());
        Assert.False(tool.Ok);
        Assert.Equal(2000, tool.LatencyMs);
        VerificationStep v = Assert.Single(t.Verifications);
        Assert.Equal((1, 4, 1), (v.ExitCode, v.Passed, v.Failed));
        Assert.Equal("npm test", v.Command);
    }

    [Fact]
    public async Task Reads_a_line_repeated_with_the_same_uuid_once_and_notes_it()
    {
        Trajectory t = (await IngestSamples.ReadAsync(Log(User, User, Text), TrajectoryFormat.Claude)).Single();
        Assert.Single(t.Steps.OfType<UserStep>());
        Assert.Contains(t.Notes, n => n.Code == "duplicate-uuid");
    }

    [Fact]
    public async Task Run_cut_off_before_the_tool_returned_is_incomplete_with_a_tool_start()
    {
        Trajectory t = (await IngestSamples.ReadAsync(Log(User, ToolUse), TrajectoryFormat.Claude)).Single();
        Assert.False(t.Session.IsComplete);
        ToolStartStep start = Assert.Single(t.Steps.OfType<ToolStartStep>());
        Assert.Equal("npm test", start.Command);
        Assert.Contains(t.Notes, n => n.Code == "incomplete");
    }

    [Fact]
    public async Task Truncated_last_line_is_skipped_with_a_note_naming_the_line_and_the_run_is_incomplete()
    {
        Trajectory t = (await IngestSamples.ReadAsync(User + "\n" + Text[..40], TrajectoryFormat.Claude)).Single();
        TrajectoryNote note = Assert.Single(t.Notes, n => n.Code == "skipped-line");
        Assert.Equal("input:2", note.Location);
        Assert.Contains("truncated", note.Message, StringComparison.Ordinal);
        Assert.False(t.Session.IsComplete);
    }

    [Fact]
    public async Task Wrong_typed_field_is_named_in_the_note()
    {
        string bad = """{"type":"user","uuid":"u9","timestamp":"2026-01-01T00:00:09Z","message":{"role":"user","content":5}}""";
        Trajectory t = (await IngestSamples.ReadAsync(Log(User, bad), TrajectoryFormat.Claude)).Single();
        TrajectoryNote note = Assert.Single(t.Notes, n => n.Code == "skipped-line");
        Assert.Contains("message.content", note.Message, StringComparison.Ordinal);
        Assert.Contains("found a number", note.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Strict_mode_rejects_a_bad_line_naming_file_line_and_field()
    {
        string bad = """{"type":"user","uuid":"u9","timestamp":"2026-01-01T00:00:09Z","message":{"role":"user","content":5}}""";
        var ex = await Assert.ThrowsAsync<IngestException>(() => IngestSamples.ReadAsync(Log(User, bad), TrajectoryFormat.Claude, new IngestOptions { SkipBadLines = false }));
        Assert.Equal(("input", 2L, "message.content"), (ex.File, ex.Line, ex.Field));
        Assert.StartsWith("input:2: field 'message.content'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Input_of_only_bad_lines_is_an_error_not_an_empty_run()
    {
        var ex = await Assert.ThrowsAsync<IngestException>(() => IngestSamples.ReadAsync("not json\n{also not\n", TrajectoryFormat.Claude));
        Assert.Contains("no readable line", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Oversized_line_is_skipped_without_being_buffered()
    {
        string huge = """{"type":"user","uuid":"u5","message":{"role":"user","content":" """ + new string('x', 10_000) + "\"}}";
        Trajectory t = (await IngestSamples.ReadAsync(Log(User, huge, Text), TrajectoryFormat.Claude, new IngestOptions { MaxLineBytes = 4096 })).Single();
        Assert.Contains(t.Notes, n => n.Code == "skipped-line" && n.Message.Contains("over the limit of 4096", StringComparison.Ordinal) && n.Location == "input:2");
        Assert.Single(t.Steps.OfType<UserStep>());
        Assert.Single(t.Steps.OfType<AgentStep>());
    }

    [Fact]
    public async Task Task_tool_becomes_a_subagent_step_and_sidechain_lines_are_summarised()
    {
        string task = """{"type":"assistant","uuid":"a7","timestamp":"2026-01-01T00:00:03Z","message":{"id":"msg_7","content":[{"type":"tool_use","id":"toolu_7","name":"Task","input":{"subagent_type":"Explore","prompt":"find divide"}}]}}""";
        string side = """{"type":"assistant","uuid":"s1","isSidechain":true,"timestamp":"2026-01-01T00:00:04Z","message":{"id":"msg_8","content":[{"type":"text","text":"searching"}]}}""";
        string done = """{"type":"user","uuid":"u8","timestamp":"2026-01-01T00:00:06Z","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_7","content":[{"type":"text","text":"calc.py:19"}]}]}}""";
        Trajectory t = (await IngestSamples.ReadAsync(Log(User, task, side, done), TrajectoryFormat.Claude)).Single();
        SubagentStep sub = Assert.Single(t.Steps.OfType<SubagentStep>());
        Assert.Equal(("Explore", "find divide", "calc.py:19"), (sub.Name, sub.Query, sub.Result));
        Assert.DoesNotContain(t.Steps, s => s is AgentStep a && a.Content == "searching");
        Assert.Contains(t.Notes, n => n.Code == "sidechain");
    }
}
