using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Trajectories.Tests.Model;

public sealed class TrajectoryTests
{
    [Fact]
    public void Create_numbers_steps_contiguously_from_one()
    {
        Trajectory t = Trajectory.Create(SampleTrajectories.Session(), [new UserStep("a") { Seq = 7 }, new AgentStep("b"), new AgentStep("c") { Seq = 1 }]);
        Assert.Equal([1, 2, 3], t.Steps.Select(s => s.Seq));
    }

    [Fact]
    public void Create_keeps_steps_already_numbered_right_instead_of_copying_them()
    {
        Step first = new UserStep("a") { Seq = 1 };
        Step second = new AgentStep("b") { Seq = 2 };
        Step third = new AgentStep("c") { Seq = 9 };
        Trajectory t = Trajectory.Create(SampleTrajectories.Session(), [first, second, third]);
        Assert.Same(first, t.Steps[0]);
        Assert.Same(second, t.Steps[1]);
        Assert.NotSame(third, t.Steps[2]);
        Assert.Equal(third with { Seq = 3 }, t.Steps[2]);
    }

    [Fact]
    public void Rejects_steps_whose_seq_is_not_contiguous_naming_the_step()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Trajectory(SampleTrajectories.Session(), [new UserStep("a") { Seq = 1 }, new AgentStep("b") { Seq = 3 }]));
        Assert.Contains("index 1 has seq 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Append_numbers_new_steps_after_the_last()
    {
        Trajectory t = SampleTrajectories.EveryStepType();
        Trajectory appended = t.Append([new RewardStep(RewardSignal.Edit, -0.5, RewardSource.Implicit)]);
        Assert.Equal(t.Steps.Count + 1, appended.Steps[^1].Seq);
        Assert.Equal(t.Steps.Count, t.Steps.Count); // the original is unchanged
        Assert.Equal(new Reward(RewardSignal.Edit, -0.5), appended.LatestReward);
    }

    [Fact]
    public void Turns_start_at_each_user_input_and_keep_earlier_steps_in_an_inputless_turn()
    {
        Trajectory t = Trajectory.Create(SampleTrajectories.Session(),
        [
            new PhaseStep("plan"),
            new UserStep("one"),
            new AgentStep("r1"),
            new ToolStep("Read", "c1", "{}", "x", true),
            new UserStep("two"),
            new AgentStep("r2"),
        ]);

        IReadOnlyList<Turn> turns = t.Turns;
        Assert.Equal(3, turns.Count);
        Assert.Null(turns[0].Input);
        Assert.Equal("one", turns[1].Input!.Content);
        Assert.Equal(3, turns[1].Steps.Count);
        Assert.Single(turns[1].ToolCalls);
        Assert.Equal("r2", Assert.Single(turns[2].Responses).Content);
    }

    [Fact]
    public void Total_usage_sums_every_agent_step()
    {
        Trajectory t = Trajectory.Create(SampleTrajectories.Session(),
        [
            new AgentStep("a") { Usage = new Usage(10, 5, 1, 0.5m) },
            new AgentStep("b"),
            new AgentStep("c") { Usage = new Usage(1, 2, 3, 0.25m) },
        ]);
        Assert.Equal(new Usage(11, 7, 4, 0.75m), t.TotalUsage);
        Assert.Null(Trajectory.Create(SampleTrajectories.Session(), [new UserStep("x")]).TotalUsage);
    }

    [Fact]
    public void Trajectories_with_equal_content_compare_equal_and_differ_when_a_list_item_differs()
    {
        Assert.Equal(SampleTrajectories.EveryStepType(), SampleTrajectories.EveryStepType());
        Trajectory changed = SampleTrajectories.EveryStepType();
        changed = changed with { Steps = ValueList.From(changed.Steps.Select(s => s is TodosStep td ? td with { Items = [new TodoItem("Fix bug", "pending")] } : s)) };
        Assert.NotEqual(SampleTrajectories.EveryStepType(), changed);
    }

    [Fact]
    public void Reward_value_outside_minus_one_to_one_is_rejected()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new RewardStep(RewardSignal.Score, 1.5, RewardSource.Explicit));
        Assert.Contains("-1..1", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("has space", "U+0020 at index 3")]
    [InlineData("sl/ash", "U+002F at index 2")]
    public void Rejects_an_invalid_session_id_saying_what_is_wrong(string sid, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() => new SessionInfo(sid, SampleTrajectories.Start));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sanitize_maps_any_id_onto_a_valid_one_and_keeps_distinct_long_ids_distinct()
    {
        Assert.Equal("a-b-c", SessionIds.Sanitize("a b/c"));
        string a = SessionIds.Sanitize(new string('x', 200) + "1");
        string b = SessionIds.Sanitize(new string('x', 200) + "2");
        Assert.True(SessionIds.IsValid(a));
        Assert.True(SessionIds.IsValid(b));
        Assert.NotEqual(a, b);
        Assert.True(SessionIds.IsValid(SessionIds.Sanitize("")));
    }

    [Fact]
    public void Statement_hash_is_over_the_exact_bytes()
    {
        var s = new InTotoStatement("{\"a\":1}"u8);
        Assert.Equal("015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862", s.StatementSha256);
    }
}
