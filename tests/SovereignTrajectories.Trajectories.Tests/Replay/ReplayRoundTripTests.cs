using System.Text.Json;
using SovereignTrajectories.Nostr.Crypto;
using SovereignTrajectories.Trajectories.Ingest;
using SovereignTrajectories.Trajectories.Json;
using SovereignTrajectories.Trajectories.Model;
using SovereignTrajectories.Trajectories.Replay;
using SovereignTrajectories.Trajectories.Tests.Model;

namespace SovereignTrajectories.Trajectories.Tests.Replay;

public sealed class ReplayRoundTripTests
{
    /// <summary>REPLAY lines are sorted-key, so tool inputs and unknown steps come back with sorted keys.</summary>
    private static Trajectory WithSortedInputs(Trajectory t) => Trajectory.Create(t.Session, t.Steps.Select(s => s switch
    {
        ToolStep tool => tool with { InputJson = CompactJson.Sorted(tool.InputJson) },
        ToolStartStep start when start.InputJson is not null => start with { InputJson = CompactJson.Sorted(start.InputJson) },
        _ => s,
    })) with { Payments = t.Payments };

    [Fact]
    public void Model_to_replay_to_model_round_trips()
    {
        Trajectory original = SampleTrajectories.EveryStepType();
        string jsonl = ReplayWriter.ToJsonl(original);
        Trajectory read = ReplayReader.Read(jsonl);
        Assert.Empty(read.Notes);
        Assert.Equal(WithSortedInputs(original), read);
    }

    [Fact]
    public void Every_line_is_canonical_sorted_key_json_and_the_file_is_deterministic()
    {
        string jsonl = ReplayWriter.ToJsonl(SampleTrajectories.EveryStepType());
        Assert.Equal(jsonl, ReplayWriter.ToJsonl(SampleTrajectories.EveryStepType()));
        string[] lines = jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("{\"created_at\":\"2026-11-01T12:00:00Z\",\"producer\":\"sovereign-trajectories\",\"replay_version\":1,\"type\":\"ReplayHeader\"}", lines[0]);
        Assert.All(lines, line => Assert.Equal(CompactJson.Sorted(line), line));
        string[] types = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("type").GetString()!).ToArray();
        Assert.Equal("SessionStart", types[1]);
        Assert.Contains("ToolCall", types);
        Assert.Contains("ToolResult", types);
        Assert.Contains("Verification", types);
        Assert.Equal("Payment", types[^2]);
        Assert.Equal("SessionEnd", types[^1]);
    }

    [Fact]
    public void Tool_call_and_result_carry_the_profile_hashes()
    {
        string[] lines = ReplayWriter.ToJsonl(SampleTrajectories.EveryStepType()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        JsonElement call = JsonDocument.Parse(lines.Single(l => l.Contains("\"type\":\"ToolCall\"", StringComparison.Ordinal))).RootElement;
        JsonElement result = JsonDocument.Parse(lines.Single(l => l.Contains("\"type\":\"ToolResult\"", StringComparison.Ordinal))).RootElement;
        Assert.Equal(call.GetProperty("step_id").GetString(), result.GetProperty("step_id").GetString());
        Assert.Equal("sha256:" + Sha256.HexOfUtf8(CompactJson.Sorted(call.GetProperty("params").GetRawText())), call.GetProperty("params_hash").GetString());
        Assert.Equal("sha256:" + Sha256.HexOfUtf8(result.GetProperty("output").GetString()!), result.GetProperty("output_hash").GetString());
        Assert.Equal(JsonValueKind.Array, result.GetProperty("side_effects").ValueKind);
    }

    [Fact]
    public void Unknown_events_and_fields_are_ignored_with_a_note()
    {
        string jsonl = string.Join('\n',
            "{\"type\":\"ReplayHeader\",\"replay_version\":1,\"producer\":\"other\",\"created_at\":\"2026-02-15T00:00:00.000Z\"}",
            "{\"type\":\"SessionStart\",\"ts\":\"2026-02-15T00:00:01.000Z\",\"session_id\":\"s 1\",\"policy_bundle_id\":\"p\",\"lane\":\"x\",\"color\":\"red\"}",
            "{\"type\":\"RuntimeEvent\",\"ts\":\"2026-02-15T00:00:01.500Z\"}",
            "{\"type\":\"ToolCall\",\"ts\":\"2026-02-15T00:00:02.000Z\",\"session_id\":\"s 1\",\"step_id\":\"a\",\"tool\":\"shell_command\",\"params\":{\"command\":\"rg -n foo .\"},\"params_hash\":\"sha256:00\"}",
            "{\"type\":\"ToolResult\",\"ts\":\"2026-02-15T00:00:03.000Z\",\"session_id\":\"s 1\",\"step_id\":\"a\",\"ok\":true,\"output_hash\":\"sha256:" + new string('b', 64) + "\",\"latency_ms\":123,\"side_effects\":[\"fs_read\"]}",
            "{\"type\":\"Verification\",\"ts\":\"2026-02-15T00:00:10.000Z\",\"session_id\":\"s 1\",\"command\":\"composer lint\",\"cwd\":\"app\",\"exit_code\":0,\"duration_ms\":12345}",
            "{\"type\":\"SessionEnd\",\"ts\":\"2026-02-15T00:01:00.000Z\",\"session_id\":\"s 1\",\"status\":\"success\",\"confidence\":0.9}");
        Trajectory t = ReplayReader.Read(jsonl, "runs/REPLAY.jsonl");

        Assert.Equal("s-1", t.Session.Sid);
        Assert.Equal(new DateTimeOffset(2026, 2, 15, 0, 1, 0, TimeSpan.Zero), t.Session.EndedAt);
        var tool = Assert.IsType<ToolStep>(t.Steps[0]);
        Assert.Equal("a", tool.CallId);
        Assert.True(tool.OutputTruncated);
        Assert.Equal(new string('b', 64), tool.OutputSha256);
        Assert.Equal(VerificationKind.Other, Assert.IsType<VerificationStep>(t.Steps[1]).Kind);
        string[] codes = t.Notes.Select(n => n.Code).ToArray();
        Assert.Contains("unknown-event", codes);
        Assert.Contains("unknown-field", codes);
        Assert.Contains("sid-sanitised", codes);
        Assert.Contains("output-withheld", codes);
        Assert.Contains(t.Notes, n => n.Message.Contains("'color'", StringComparison.Ordinal) && n.Location == "runs/REPLAY.jsonl:2");
        Assert.Contains(t.Notes, n => n.Message.Contains("RuntimeEvent", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{\"type\":\"SessionStart\"}", 1, "type", "first line must be a ReplayHeader")]
    [InlineData("{\"type\":\"ReplayHeader\",\"replay_version\":2}", 1, "replay_version", "version 2 is not supported")]
    [InlineData("{\"type\":\"ReplayHeader\",\"replay_version\":1}\n{\"type\":\"SessionStart\",\"session_id\":7}", 2, "session_id", "must be a string")]
    [InlineData("{\"type\":\"ReplayHeader\",\"replay_version\":1}\n\n{\"type\":\"SessionStart\",\"session_id\":\"s\",\"ts\":\"noon\"}", 3, "ts", "not an ISO 8601")]
    [InlineData("{\"type\":\"ReplayHeader\",\"replay_version\":1}\n{oops", 2, null, "not JSON")]
    [InlineData("{\"type\":\"ReplayHeader\",\"replay_version\":1,\"created_at\":\"2026-02-15T00:00:00Z\"}\n{\"type\":\"SessionStart\",\"session_id\":\"s\"}\n{\"type\":\"StepComplete\",\"step\":{\"type\":\"user\"}}", 3, "step.content", "missing")]
    public void Bad_input_names_the_file_line_and_field(string jsonl, long line, string? field, string problem)
    {
        var ex = Assert.Throws<IngestException>(() => ReplayReader.Read(jsonl, "x/REPLAY.jsonl"));
        Assert.Equal("x/REPLAY.jsonl", ex.File);
        Assert.Equal(line, ex.Line);
        Assert.Equal(field, ex.Field);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_without_session_start_is_rejected()
    {
        var ex = Assert.Throws<IngestException>(() => ReplayReader.Read("{\"type\":\"ReplayHeader\",\"replay_version\":1}\n"));
        Assert.Contains("no SessionStart", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reads_through_the_ingest_reader_interface()
    {
        ITrajectoryReader reader = new ReplayReader();
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(ReplayWriter.ToJsonl(SampleTrajectories.EveryStepType())));
        IngestResult result = await reader.ReadAsync(stream, "mem", IngestOptions.Default);
        Assert.Equal(TrajectoryFormat.Replay, result.Format);
        Assert.Equal(SampleTrajectories.EveryStepType().Steps.Count, result.Single().Steps.Count);
    }
}
