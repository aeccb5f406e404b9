using SovereignTrajectories.Trajectories.Ingest;
using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Trajectories.Tests.Ingest;

public sealed class AtifReaderTests
{
    private static string Doc(string version = "ATIF-v1.7", string steps = "", bool final = true) => $$"""
        {"schema_version":"{{version}}","session_id":"s 1","agent":{"name":"mini","version":"1"},
         "steps":[{"step_id":1,"source":"user","message":"fix bug"}{{steps}}]{{(final ? ",\"final_metrics\":{}" : "")}}}
        """;

    [Fact]
    public async Task Pairs_tool_calls_with_observation_results_by_source_call_id()
    {
        string steps = """,{"step_id":2,"source":"agent","message":"","tool_calls":[{"tool_call_id":"c1","function_name":"bash","arguments":{"cmd":"pytest"}},{"tool_call_id":"c2","function_name":"bash","arguments":{"cmd":"ls"}}],"observation":{"results":[{"source_call_id":"c2","content":"a.py"},{"source_call_id":"c1","content":"3 passed in 0.1s"}]}}""";
        Trajectory t = (await IngestSamples.ReadAsync(Doc(steps: steps), TrajectoryFormat.Atif)).Single();
        ToolStep[] tools = t.Steps.OfType<ToolStep>().ToArray();
        Assert.Equal(("c1", "3 passed in 0.1s"), (tools[0].CallId, tools[0].Output));
        Assert.Equal(("c2", "a.py"), (tools[1].CallId, tools[1].Output));
        Assert.Equal(3, Assert.Single(t.Verifications).Passed);
        Assert.Equal("s-1", t.Session.Sid);
        Assert.Contains(t.Notes, n => n.Code == "sanitised-session-id");
    }

    [Fact]
    public async Task Message_given_as_content_parts_is_joined()
    {
        string steps = """,{"step_id":2,"source":"agent","message":[{"type":"text","text":"a"},{"type":"image","source":{}},{"type":"text","text":"b"}]}""";
        Trajectory t = (await IngestSamples.ReadAsync(Doc(steps: steps), TrajectoryFormat.Atif)).Single();
        Assert.Equal("a\nb", Assert.Single(t.Steps.OfType<AgentStep>()).Content);
    }

    [Fact]
    public async Task Without_final_metrics_the_run_is_incomplete()
    {
        Trajectory t = (await IngestSamples.ReadAsync(Doc(final: false), TrajectoryFormat.Atif)).Single();
        Assert.False(t.Session.IsComplete);
    }

    [Theory]
    [InlineData("ATIF-v2.0")]
    [InlineData("1.4")]
    public async Task Unknown_schema_version_is_rejected_naming_the_field(string version)
    {
        var ex = await Assert.ThrowsAsync<IngestException>(() => IngestSamples.ReadAsync(Doc(version), TrajectoryFormat.Atif));
        Assert.Equal("schema_version", ex.Field);
    }

    [Fact]
    public async Task Older_v1_version_is_read_with_a_note()
    {
        Trajectory t = (await IngestSamples.ReadAsync(Doc("ATIF-v1.2"), TrajectoryFormat.Atif)).Single();
        Assert.Contains(t.Notes, n => n.Code == "legacy-version");
    }

    [Fact]
    public async Task Wrong_typed_tool_calls_is_named_with_its_path()
    {
        string steps = """,{"step_id":2,"source":"agent","message":"x","tool_calls":{"a":1}}""";
        var ex = await Assert.ThrowsAsync<IngestException>(() => IngestSamples.ReadAsync(Doc(steps: steps), TrajectoryFormat.Atif));
        Assert.Equal("steps[1].tool_calls", ex.Field);
        Assert.Contains("expected an array, found an object", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Truncated_document_names_the_line()
    {
        string doc = Doc();
        var ex = await Assert.ThrowsAsync<IngestException>(() => IngestSamples.ReadAsync(doc[..(doc.Length / 2)], TrajectoryFormat.Atif));
        Assert.NotNull(ex.Line);
        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Document_over_the_size_limit_is_rejected()
    {
        var ex = await Assert.ThrowsAsync<IngestException>(() => IngestSamples.ReadAsync(Doc(), TrajectoryFormat.Atif, new IngestOptions { MaxDocumentBytes = 64 }));
        Assert.Contains("larger than the limit of 64 bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reward_in_extra_becomes_a_reward_step()
    {
        string steps = """,{"step_id":2,"source":"user","message":"great","extra":{"reward":{"signal":"edit","value":0.5,"comment":"tweaked"}}}""";
        Trajectory t = (await IngestSamples.ReadAsync(Doc(steps: steps), TrajectoryFormat.Atif)).Single();
        RewardStep r = Assert.Single(t.Steps.OfType<RewardStep>());
        Assert.Equal((RewardSignal.Edit, 0.5, "tweaked"), (r.Signal, r.Value, r.Comment));
    }

    [Fact]
    public async Task Reward_outside_minus_one_to_one_is_rejected()
    {
        string steps = """,{"step_id":2,"source":"user","message":"x","extra":{"reward":{"signal":"score","value":7}}}""";
        var ex = await Assert.ThrowsAsync<IngestException>(() => IngestSamples.ReadAsync(Doc(steps: steps), TrajectoryFormat.Atif));
        Assert.Equal("steps[1].extra.reward.value", ex.Field);
    }
}
