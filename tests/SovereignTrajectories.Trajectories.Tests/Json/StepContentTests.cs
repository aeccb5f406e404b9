using SovereignTrajectories.Trajectories.Json;
using SovereignTrajectories.Trajectories.Model;
using SovereignTrajectories.Trajectories.Tests.Model;

namespace SovereignTrajectories.Trajectories.Tests.Json;

public sealed class StepContentTests
{
    [Fact]
    public void Tool_step_content_has_type_first_and_the_profile_key_order()
    {
        var step = new ToolStep("Bash", "c1", "{\"command\":\"ls\"}", "a\nb", true) { LatencyMs = 12, Timestamp = SampleTrajectories.Start };
        Assert.Equal(
            "{\"type\":\"tool\",\"name\":\"Bash\",\"call_id\":\"c1\",\"input\":{\"command\":\"ls\"},\"output\":\"a\\nb\",\"ok\":true,\"latency_ms\":12,"
            + "\"output_sha256\":\"7e18f737311b2dc3b2f269dd78396b0351f14fb66efa879f768cb23181883c78\",\"truncated\":false,\"ts\":\"2026-11-01T12:00:00Z\"}",
            StepContentWriter.Write(step));
    }

    [Fact]
    public void Agent_and_reward_content_match_the_profile_exactly()
    {
        var agent = new AgentStep("hi") { Model = "m", Usage = new Usage(100, 50, 0, 0.01m), Confidence = 0.9, Signature = "Answer" };
        Assert.Equal(
            "{\"type\":\"agent\",\"content\":\"hi\",\"model\":\"m\",\"tokens_in\":100,\"tokens_out\":50,\"tokens_cached\":0,\"cost_usd\":0.01,\"confidence\":0.9,\"signature\":\"Answer\"}",
            StepContentWriter.Write(agent));
        var reward = new RewardStep(RewardSignal.Regenerate, -1, RewardSource.Implicit) { Timestamp = SampleTrajectories.Start };
        Assert.Equal(
            "{\"type\":\"reward\",\"signal\":\"regenerate\",\"value\":-1,\"source\":\"implicit\",\"ts\":\"2026-11-01T12:00:00Z\"}",
            StepContentWriter.Write(reward));
    }

    [Fact]
    public void Every_step_type_reads_back_to_an_equal_step()
    {
        Trajectory published = SampleTrajectories.AsPublished(SampleTrajectories.EveryStepType());
        foreach (Step step in published.Steps)
        {
            var notes = new List<TrajectoryNote>();
            Step read = StepContentReader.Read(StepContentWriter.Write(step), null, "test", notes) with { Seq = step.Seq };
            Assert.Equal(step, read);
            Assert.Empty(notes);
        }
    }

    [Fact]
    public void Writing_the_same_step_twice_gives_identical_bytes()
    {
        foreach (Step step in SampleTrajectories.EveryStepType().Steps)
        {
            Assert.Equal(StepContentWriter.Write(step), StepContentWriter.Write(step with { }));
        }
    }

    [Theory]
    [InlineData("{\"type\":\"ToolUse\",\"tool\":\"Read\"}", typeof(ToolStartStep))]
    [InlineData("{\"type\":\"ToolResult\",\"success\":true}", typeof(ObservationStep))]
    [InlineData("{\"type\":\"Message\",\"role\":\"user\",\"content\":\"x\"}", typeof(UserStep))]
    [InlineData("{\"type\":\"Thinking\",\"content\":\"x\"}", typeof(ThinkingStep))]
    public void Legacy_pascal_case_types_are_read_and_reported(string content, Type expected)
    {
        var notes = new List<TrajectoryNote>();
        Step step = StepContentReader.Read(content, null, "event e1", notes);
        Assert.IsType(expected, step);
        TrajectoryNote note = Assert.Single(notes);
        Assert.Equal("legacy-type", note.Code);
        Assert.Equal("event e1", note.Location);
    }

    [Fact]
    public void A_type_from_a_legacy_step_tag_is_used_and_reported()
    {
        var notes = new List<TrajectoryNote>();
        Step step = StepContentReader.Read("{\"tool\":\"Read\"}", "ToolUse", "event e1", notes);
        Assert.Equal("Read", Assert.IsType<ToolStartStep>(step).Name);
        Assert.Contains(notes, n => n.Code == "legacy-step-tag");
    }

    [Fact]
    public void An_unknown_type_is_kept_with_its_exact_content()
    {
        const string content = "{\"type\":\"future\",\"x\":[1, 2]}";
        var notes = new List<TrajectoryNote>();
        UnknownStep step = Assert.IsType<UnknownStep>(StepContentReader.Read(content, null, "event e1", notes));
        Assert.Equal(content, step.RawContent);
        Assert.Equal("unknown-type", Assert.Single(notes).Code);
    }

    [Theory]
    [InlineData("{\"type\":\"user\",\"content\":5}", "content.content", "must be a string")]
    [InlineData("{\"type\":\"agent\"}", "content.content", "missing")]
    [InlineData("{\"type\":\"reward\",\"signal\":\"love\",\"value\":1}", "content.signal", "'love'")]
    [InlineData("{\"type\":\"reward\",\"signal\":\"score\",\"value\":3}", "content.value", "outside -1..1")]
    [InlineData("{\"type\":\"user\",\"content\":\"x\",\"ts\":\"yesterday\"}", "content.ts", "RFC 3339")]
    [InlineData("[1]", "content", "must be a JSON object")]
    [InlineData("{", "content", "is not JSON")]
    public void Bad_content_is_rejected_naming_the_event_and_field(string content, string field, string reason)
    {
        var ex = Assert.Throws<TrajectoryFormatException>(() => StepContentReader.Read(content, null, "event abc", []));
        Assert.Equal("event abc", ex.Input);
        Assert.Equal(field, ex.Field);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }
}
