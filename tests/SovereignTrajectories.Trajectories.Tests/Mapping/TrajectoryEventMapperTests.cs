using SovereignTrajectories.Nostr.Crypto;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Trajectories.Commitments;
using SovereignTrajectories.Trajectories.Json;
using SovereignTrajectories.Trajectories.Mapping;
using SovereignTrajectories.Trajectories.Model;
using SovereignTrajectories.Trajectories.Tests.Model;

namespace SovereignTrajectories.Trajectories.Tests.Mapping;

public sealed class TrajectoryEventMapperTests
{
    private const string Relay = "wss://relay.example.com";

    private static MappedTrajectory MapSample(Trajectory? t = null, TrajectoryMapperOptions? options = null)
    {
        using SecretKey key = SampleTrajectories.Key();
        return new TrajectoryEventMapper(options ?? new TrajectoryMapperOptions { RelayHint = Relay }).Map(t ?? SampleTrajectories.EveryStepType(), key);
    }

    [Fact]
    public void Publishes_opening_then_steps_then_final_version_all_validly_signed()
    {
        MappedTrajectory m = MapSample();
        int n = SampleTrajectories.EveryStepType().Steps.Count;
        Assert.Equal(n + 2, m.Events.Count);
        Assert.Equal(TrajectoryKinds.Session, m.Events[0].Kind);
        Assert.All(m.Events.Skip(1).Take(n), e => Assert.Equal(TrajectoryKinds.Step, e.Kind));
        Assert.Equal(TrajectoryKinds.Session, m.Events[^1].Kind);
        Assert.All(m.Events, e => Assert.True(EventVerifier.IsValid(e), $"event {e.Id} does not verify"));
    }

    [Fact]
    public void Opening_version_has_zero_events_and_no_end_hash_or_root()
    {
        NostrEvent opening = MapSample().SessionVersions[0];
        Assert.Null(opening.Tags.Find("ended_at"));
        Assert.Null(opening.Tags.Find("trajectory_hash"));
        Assert.Null(opening.Tags.Find("merkle_root"));
        Assert.StartsWith("{\"session_id\":\"run-20261101T120000-0a1b2c3d\",\"started_at\":1793534400,\"model\":\"claude-opus-4\",\"total_events\":0", opening.Content, StringComparison.Ordinal);
        Assert.Equal(SampleTrajectories.Start.ToUnixTimeSeconds(), opening.CreatedAt);
    }

    [Fact]
    public void Session_tags_come_in_profile_order()
    {
        NostrEvent final = MapSample().LatestSession;
        Assert.Equal(
            ["d", "started_at", "model", "visibility", "ended_at", "tick", "p", "repo", "sha", "trajectory_hash", "merkle_root", "alt"],
            final.Tags.Select(t => t.Name));
        Assert.Equal("Agent trajectory session run-20261101T120000-0a1b2c3d", final.Tags.FindValue("alt"));
    }

    [Fact]
    public void Step_tags_come_in_profile_order_with_unique_d_coordinate_and_reply_chain()
    {
        MappedTrajectory m = MapSample();
        string sid = SampleTrajectories.Session().Sid;
        string coordinate = "39230:" + m.State.PubKey + ":" + sid;
        NostrEvent opening = m.SessionVersions[0];
        for (int i = 0; i < m.StepEvents.Count; i++)
        {
            NostrEvent e = m.StepEvents[i];
            int seq = i + 1;
            Assert.Equal(new Tag("d", $"{sid}:{seq}"), e.Tags[0]);
            Assert.Equal(new Tag("a", coordinate, Relay), e.Tags[1]);
            Assert.Equal(new Tag("session", sid), e.Tags[2]);
            Assert.Equal(new Tag("seq", seq.ToString(System.Globalization.CultureInfo.InvariantCulture)), e.Tags[3]);
            Assert.Equal(new Tag("e", opening.Id, Relay, "root"), e.Tags[4]);
            int next = 5;
            if (seq >= 2)
            {
                Assert.Equal(new Tag("e", m.StepEvents[i - 1].Id, Relay, "reply"), e.Tags[5]);
                next = 6;
            }

            Assert.Equal(new Tag("tick", "tick-42"), e.Tags[next]);
            Assert.StartsWith("{\"type\":", e.Content, StringComparison.Ordinal);
        }

        Assert.Equal(m.StepEvents.Count, m.StepEvents.Select(e => e.DTag).Distinct().Count());
    }

    [Fact]
    public void Tool_and_verification_steps_carry_the_audit_tags()
    {
        MappedTrajectory m = MapSample();
        Trajectory t = SampleTrajectories.EveryStepType();
        int toolIndex = t.Steps.ToList().FindIndex(s => s is ToolStep);
        ToolStep tool = (ToolStep)t.Steps[toolIndex];
        NostrEvent toolEvent = m.StepEvents[toolIndex];
        Assert.Equal("tool_invocation", toolEvent.Tags.FindValue("action_type"));
        Assert.Equal("Bash", toolEvent.Tags.FindValue("tool_invoked"));
        Assert.Equal(Sha256.HexOfUtf8(tool.InputJson), toolEvent.Tags.FindValue("input_hash"));
        Assert.Equal(Sha256.HexOfUtf8(tool.Output), toolEvent.Tags.FindValue("output_hash"));

        int vIndex = t.Steps.ToList().FindIndex(s => s is VerificationStep);
        var v = (VerificationStep)t.Steps[vIndex];
        NostrEvent vEvent = m.StepEvents[vIndex];
        Assert.Equal("verification", vEvent.Tags.FindValue("action_type"));
        Assert.Equal(v.Statement!.StatementSha256, vEvent.Tags.FindValue("verification"));
    }

    [Fact]
    public void Final_version_commits_to_the_steps_exactly_as_signed()
    {
        MappedTrajectory m = MapSample();
        NostrEvent final = m.LatestSession;
        string hash = TrajectoryHash.Compute(m.StepEvents.Select(e => e.Content))!;
        string root = MerkleTree.FromEventIds(m.StepEvents.Select(e => e.Id)).RootHex;
        Assert.Equal(hash, final.Tags.FindValue("trajectory_hash"));
        Assert.Equal(new Tag("merkle_root", root, m.StepEvents.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)), final.Tags.Find("merkle_root"));
        Assert.Contains($"\"total_events\":{m.StepEvents.Count},\"trajectory_hash\":\"{hash}\",\"merkle_root\":\"{root}\",\"verification\":{{\"passed\":true,\"runs\":1,\"failed_runs\":0,\"sha256\":\"", final.Content, StringComparison.Ordinal);
        Assert.EndsWith(",\"reward\":{\"signal\":\"accept\",\"value\":1},\"usage\":{\"tokens_in\":100,\"tokens_out\":50,\"tokens_cached\":10,\"cost_usd\":0.0123}}", final.Content, StringComparison.Ordinal);
    }

    [Fact]
    public void Session_versions_get_strictly_increasing_created_at_even_when_the_clock_has_not_moved()
    {
        // Every step in the same second as the start and the end: versions must still order.
        DateTimeOffset t0 = SampleTrajectories.Start;
        Trajectory t = Trajectory.Create(SampleTrajectories.Session() with { EndedAt = t0 },
            Enumerable.Range(0, 10).Select(i => (Step)new AgentStep("s" + i) { Timestamp = t0 }));
        MappedTrajectory m = MapSample(t, new TrajectoryMapperOptions { CheckpointEvery = 3 });
        long[] versions = m.SessionVersions.Select(e => e.CreatedAt).ToArray();
        Assert.Equal(5, versions.Length); // opening, after 3, 6, 9, final
        for (int i = 1; i < versions.Length; i++)
        {
            Assert.True(versions[i] > versions[i - 1], $"version {i} created_at {versions[i]} is not after {versions[i - 1]}");
        }

        Assert.Equal(["3", "6", "9", "10"], m.SessionVersions.Skip(1).Select(e => e.Tags.Find("merkle_root")![2]));
    }

    [Fact]
    public void Step_created_at_follows_step_times_clamped_to_never_go_back()
    {
        DateTimeOffset t0 = SampleTrajectories.Start;
        Trajectory t = Trajectory.Create(SampleTrajectories.Session(),
        [
            new UserStep("a") { Timestamp = t0.AddSeconds(5) },
            new AgentStep("b") { Timestamp = t0.AddSeconds(2) },
            new AgentStep("c"),
            new AgentStep("d") { Timestamp = t0.AddSeconds(9) },
        ]);
        long s = t0.ToUnixTimeSeconds();
        Assert.Equal([s + 5, s + 5, s + 5, s + 9], MapSample(t).StepEvents.Select(e => e.CreatedAt));
    }

    [Fact]
    public void A_long_tool_output_is_cut_to_fit_while_its_hash_covers_the_full_output()
    {
        string full = "HEAD-" + string.Concat(Enumerable.Range(0, 40_000).Select(i => (char)('a' + (i % 26)) + (i % 100 == 0 ? "\n\u0001é😀" : string.Empty))) + "-TAIL";
        Trajectory t = Trajectory.Create(SampleTrajectories.Session(), [new ToolStep("Read", "c9", "{\"path\":\"big.txt\"}", full, true)]);
        var options = new TrajectoryMapperOptions { MaxEventBytes = 16 * 1024 };
        MappedTrajectory m = MapSample(t, options);

        NostrEvent e = Assert.Single(m.StepEvents);
        int size = CanonicalJson.Utf8Length(e);
        Assert.True(size <= 16 * 1024, $"event is {size} bytes");
        Assert.True(size > 15 * 1024, $"event is only {size} bytes: the preview wastes the budget");
        Step read = StepContentReaderRead(e);
        var tool = Assert.IsType<ToolStep>(read);
        Assert.True(tool.OutputTruncated);
        Assert.StartsWith("HEAD-", tool.Output, StringComparison.Ordinal);
        Assert.EndsWith("-TAIL", tool.Output, StringComparison.Ordinal);
        Assert.Contains("characters omitted", tool.Output, StringComparison.Ordinal);
        Assert.Equal(Sha256.HexOfUtf8(full), tool.OutputSha256);
        Assert.Equal(Sha256.HexOfUtf8(full), e.Tags.FindValue("output_hash"));
        Assert.Equal(full, m.FullOutputs[1]);
        Assert.Equal(full, ((ToolStep)m.State.Trajectory.Steps[0]).Output);
    }

    [Fact]
    public void Every_event_fits_the_default_limit_whatever_the_output_size()
    {
        Trajectory t = Trajectory.Create(SampleTrajectories.Session(),
            new[] { 16_000, 65_000, 70_000, 300_000 }.Select(n => (Step)new ToolStep("Bash", "c", "{}", new string('"', n), true)));
        MappedTrajectory m = MapSample(t);
        Assert.All(m.Events, e => Assert.True(CanonicalJson.Utf8Length(e) <= TrajectoryMapperOptions.DefaultMaxEventBytes));
        Assert.Equal([false, true, true, true], m.StepEvents.Select(e => e.Content.Contains("\"truncated\":true", StringComparison.Ordinal)));
    }

    [Fact]
    public void An_oversized_step_that_cannot_be_cut_is_rejected_naming_its_seq()
    {
        Trajectory t = Trajectory.Create(SampleTrajectories.Session(), [new UserStep("hi"), new AgentStep(new string('x', 70_000))]);
        var ex = Assert.Throws<TrajectoryMappingException>(() => MapSample(t));
        Assert.Equal(2, ex.Seq);
        Assert.Contains("step 2 (agent)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_later_reward_appends_a_step_and_a_new_final_version_without_touching_what_was_published()
    {
        using SecretKey key = SampleTrajectories.Key();
        var mapper = new TrajectoryEventMapper(new TrajectoryMapperOptions { RelayHint = Relay });
        Trajectory t = SampleTrajectories.EveryStepType();
        MappedTrajectory first = mapper.Map(t, key);
        NostrEvent previousFinal = first.LatestSession;

        var reward = new RewardStep(RewardSignal.Edit, -0.25, RewardSource.Implicit) { Timestamp = SampleTrajectories.Start.AddHours(1) };
        MappedTrajectory later = mapper.Append(first.State, [reward], key);

        NostrEvent step = Assert.Single(later.StepEvents);
        Assert.Equal(2, later.Events.Count);
        int n = t.Steps.Count + 1;
        Assert.Equal($"{t.Session.Sid}:{n}", step.DTag);
        Assert.Equal(new Tag("e", first.SessionVersions[0].Id, Relay, "root"), step.Tags[4]);
        Assert.Equal(new Tag("e", first.StepEvents[^1].Id, Relay, "reply"), step.Tags[5]);

        NostrEvent newFinal = later.LatestSession;
        Assert.True(newFinal.CreatedAt > previousFinal.CreatedAt);
        Assert.Equal(previousFinal.Tags.FindValue("ended_at"), newFinal.Tags.FindValue("ended_at"));
        Assert.Contains("\"reward\":{\"signal\":\"edit\",\"value\":-0.25}", newFinal.Content, StringComparison.Ordinal);

        // Append-only: the old root is the new tree's root at the old size.
        var ids = first.StepEvents.Concat(later.StepEvents).Select(e => e.Id).ToArray();
        MerkleTree tree = MerkleTree.FromEventIds(ids);
        Assert.Equal(previousFinal.Tags.Find("merkle_root")![1], Convert.ToHexStringLower(tree.RootAt(n - 1)));
        Assert.Equal(tree.RootHex, newFinal.Tags.Find("merkle_root")![1]);
        Assert.Equal(TrajectoryHash.Compute(first.StepEvents.Concat(later.StepEvents).Select(e => e.Content)), newFinal.Tags.FindValue("trajectory_hash"));
        Assert.Equal(n, later.State.StepCount);
        Assert.Equal(step.Id, later.State.LastStepId);
    }

    [Fact]
    public void An_unfinished_run_ends_with_a_checkpoint_version_and_can_be_finished_by_append()
    {
        using SecretKey key = SampleTrajectories.Key();
        var mapper = new TrajectoryEventMapper();
        Trajectory t = Trajectory.Create(SampleTrajectories.Session() with { EndedAt = null }, [new UserStep("go")]);
        MappedTrajectory open = mapper.Map(t, key);
        Assert.Equal(2, open.SessionVersions.Count);
        Assert.Null(open.LatestSession.Tags.Find("ended_at"));
        Assert.Null(open.LatestSession.Tags.Find("trajectory_hash"));
        Assert.Equal("1", open.LatestSession.Tags.Find("merkle_root")![2]);

        MappedTrajectory done = mapper.Append(open.State, [new AgentStep("done")], key, endedAt: SampleTrajectories.Start.AddMinutes(1));
        Assert.NotNull(done.LatestSession.Tags.Find("trajectory_hash"));
        Assert.Equal((SampleTrajectories.Start.ToUnixTimeSeconds() + 60).ToString(System.Globalization.CultureInfo.InvariantCulture), done.LatestSession.Tags.FindValue("ended_at"));
    }

    [Fact]
    public void Appending_with_another_key_is_refused()
    {
        using SecretKey key = SampleTrajectories.Key();
        using SecretKey other = SecretKey.Generate();
        var mapper = new TrajectoryEventMapper();
        MappedTrajectory m = mapper.Map(SampleTrajectories.EveryStepType(), key);
        var ex = Assert.Throws<TrajectoryMappingException>(() => mapper.Append(m.State, [new UserStep("x")], other));
        Assert.Contains("was published by", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ended_run_without_steps_has_an_opening_and_a_final_version_with_no_commitments()
    {
        Trajectory t = Trajectory.Create(SampleTrajectories.Session(), []);
        MappedTrajectory m = MapSample(t);
        Assert.Equal(2, m.Events.Count);
        Assert.Empty(m.StepEvents);
        NostrEvent final = m.LatestSession;
        Assert.NotNull(final.Tags.Find("ended_at"));
        Assert.Null(final.Tags.Find("trajectory_hash"));
        Assert.Null(final.Tags.Find("merkle_root"));
        Assert.Contains("\"total_events\":0}", final.Content, StringComparison.Ordinal);
        Assert.True(final.CreatedAt > m.SessionVersions[0].CreatedAt);
    }

    private static Step StepContentReaderRead(NostrEvent e) => StepContentReader.Read(e.Content, null, e.Id, []);
}
