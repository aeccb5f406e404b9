using SovereignTrajectories.Nostr.Crypto;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Trajectories.Commitments;
using SovereignTrajectories.Trajectories.Json;
using SovereignTrajectories.Trajectories.Mapping;
using SovereignTrajectories.Trajectories.Model;
using SovereignTrajectories.Trajectories.Tests.Model;

namespace SovereignTrajectories.Trajectories.Tests.Mapping;

public sealed class TrajectoryEventReaderTests
{
    [Fact]
    public void Publish_then_parse_round_trips_to_an_equal_model()
    {
        using SecretKey key = SampleTrajectories.Key();
        Trajectory original = SampleTrajectories.EveryStepType();
        MappedTrajectory m = new TrajectoryEventMapper().Map(original, key);

        // Relays return events in any order, and keep every session version they were given.
        TrajectoryReadResult read = TrajectoryEventReader.Read(m.Events.Reverse());

        Assert.Equal(SampleTrajectories.AsPublished(original), read.Trajectory with { Notes = ValueList<TrajectoryNote>.Empty });
        Assert.Empty(read.Notes);
        Assert.Equal(m.LatestSession, read.Session);
        Assert.Equal(m.StepEvents, read.StepEvents);
    }

    [Fact]
    public void Events_holding_their_content_as_utf8_read_to_the_same_model_and_hash()
    {
        using SecretKey key = SampleTrajectories.Key();
        Trajectory original = SampleTrajectories.EveryStepType();
        MappedTrajectory m = new TrajectoryEventMapper().Map(original, key);

        // An unknown step type keeps its whole content, made from the bytes only then.
        const string unknown = "{\"type\":\"telemetry\",\"note\":\"caf\u00e9 \ud83d\ude00\"}";
        NostrEvent last = m.StepEvents[^1];
        NostrEvent extra = EventSigner.Sign(new UnsignedEvent(last.CreatedAt + 1, last.Kind,
            [.. last.Tags.Select(t => t.Name == "seq" ? new Tag("seq", (m.StepEvents.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)) : t)], unknown), key);
        NostrEvent[] events = [.. m.Events, extra];

        var arena = new Utf8ContentArena();
        NostrEvent[] held = events
            .Select(e => EventParser.Parse(System.Text.Encoding.UTF8.GetBytes(CanonicalJson.Serialize(e)), new byte[32], null, arena))
            .ToArray();
        Assert.All(held, e => Assert.True(e.TryGetContentUtf8(out _)));

        TrajectoryReadResult fromText = TrajectoryEventReader.Read(events);
        TrajectoryReadResult fromUtf8 = TrajectoryEventReader.Read(held);
        Assert.Equal(fromText.Trajectory, fromUtf8.Trajectory);
        Assert.Equal(fromText.Notes, fromUtf8.Notes);
        var telemetry = Assert.IsType<UnknownStep>(fromUtf8.Trajectory.Steps[^1]);
        Assert.Equal(System.Text.Json.JsonDocument.Parse(unknown).RootElement.GetRawText(), System.Text.Json.JsonDocument.Parse(telemetry.RawContent).RootElement.GetRawText());
        Assert.Equal(TrajectoryHash.Compute(fromText.StepEvents.Select(e => e.Content)), TrajectoryHash.ComputeFromEvents(fromUtf8.StepEvents));
    }

    [Fact]
    public void Round_trip_keeps_a_truncated_output_as_a_preview_with_the_full_hash()
    {
        using SecretKey key = SampleTrajectories.Key();
        string full = new('x', 100_000);
        Trajectory original = Trajectory.Create(SampleTrajectories.Session(), [new ToolStep("Read", "c1", "{}", full, true)]);
        TrajectoryReadResult read = TrajectoryEventReader.Read(new TrajectoryEventMapper().Map(original, key).Events);
        var tool = Assert.IsType<ToolStep>(read.Trajectory.Steps[0]);
        Assert.True(tool.OutputTruncated);
        Assert.Equal(Sha256.HexOfUtf8(full), tool.OutputSha256);
        Assert.Equal(((ToolStep)original.Steps[0]) with { Output = tool.Output, OutputTruncated = true, OutputSha256 = tool.OutputSha256 }, tool);
    }

    [Fact]
    public void The_newest_session_version_wins_and_all_versions_are_kept()
    {
        using SecretKey key = SampleTrajectories.Key();
        MappedTrajectory m = new TrajectoryEventMapper(new TrajectoryMapperOptions { CheckpointEvery = 4 }).Map(SampleTrajectories.EveryStepType(), key);
        TrajectoryReadResult read = TrajectoryEventReader.Read(m.Events);
        Assert.Equal(m.LatestSession.Id, read.Session.Id);
        Assert.Equal(m.SessionVersions.Count, read.SessionVersions.Count);
        Assert.NotNull(read.Trajectory.Session.EndedAt);
    }

    [Fact]
    public void Legacy_kinds_tag_aliases_and_zero_based_seq_are_read_and_each_reported()
    {
        using SecretKey key = SampleTrajectories.Key();
        string pub = key.PublicKey.Hex;
        NostrEvent session = EventSigner.Sign(new UnsignedEvent(1700000000, TrajectoryKinds.LegacySession,
            [new Tag("d", "old-1"), new Tag("started_at", "1700000000"), new Tag("model", "m"), new Tag("tick_id", "t7")], string.Empty), key);
        NostrEvent s0 = EventSigner.Sign(new UnsignedEvent(1700000001, TrajectoryKinds.LegacyStep,
            [new Tag("session_id", "old-1"), new Tag("sequence", "0"), new Tag("step", "ToolUse")], "{\"tool\":\"Read\"}"), key);
        NostrEvent s1 = EventSigner.Sign(new UnsignedEvent(1700000002, TrajectoryKinds.LegacyStep,
            [new Tag("session", "old-1"), new Tag("seq", "1")], "{\"type\":\"ToolResult\",\"success\":true}"), key);

        TrajectoryReadResult read = TrajectoryEventReader.Read([s1, session, s0]);

        Assert.Equal("t7", read.Trajectory.Session.Tick);
        Assert.Equal([1, 2], read.Trajectory.Steps.Select(s => s.Seq));
        Assert.Equal("Read", Assert.IsType<ToolStartStep>(read.Trajectory.Steps[0]).Name);
        Assert.Equal("ok", Assert.IsType<ObservationStep>(read.Trajectory.Steps[1]).Status);
        string[] codes = read.Notes.Select(n => n.Code).ToArray();
        Assert.Contains("legacy-kind", codes);
        Assert.Contains("legacy-tag", codes);
        Assert.Contains("legacy-step-tag", codes);
        Assert.Contains("legacy-type", codes);
        Assert.Contains("zero-based-seq", codes);
        Assert.Contains(read.Notes, n => n.Message.Contains("session_id", StringComparison.Ordinal));
        Assert.Contains(read.Notes, n => n.Message.Contains("sequence", StringComparison.Ordinal));
        Assert.Contains(read.Notes, n => n.Message.Contains("tick_id", StringComparison.Ordinal));
        Assert.DoesNotContain(pub, read.Notes.Select(n => n.Message));
    }

    [Fact]
    public void Two_different_events_for_one_seq_are_reported_as_equivocation()
    {
        using SecretKey key = SampleTrajectories.Key();
        MappedTrajectory m = new TrajectoryEventMapper().Map(SampleTrajectories.EveryStepType(), key);
        NostrEvent first = m.StepEvents[0];
        NostrEvent twin = EventSigner.Sign(new UnsignedEvent(first.CreatedAt + 1, first.Kind, first.Tags, "{\"type\":\"user\",\"content\":\"other\"}"), key);
        TrajectoryReadResult read = TrajectoryEventReader.Read(m.Events.Append(twin));
        Assert.Contains(read.Notes, n => n.Code == "equivocation");
        Assert.Equal(first.Id, read.StepEvents[0].Id);
    }

    [Fact]
    public void A_step_without_seq_is_rejected_naming_the_event_and_tag()
    {
        using SecretKey key = SampleTrajectories.Key();
        NostrEvent session = EventSigner.Sign(new UnsignedEvent(1700000000, TrajectoryKinds.Session, [new Tag("d", "s1")], string.Empty), key);
        NostrEvent step = EventSigner.Sign(new UnsignedEvent(1700000001, TrajectoryKinds.Step, [new Tag("session", "s1")], "{\"type\":\"user\",\"content\":\"x\"}"), key);
        var ex = Assert.Throws<TrajectoryFormatException>(() => TrajectoryEventReader.Read([session, step]));
        Assert.Equal("event " + step.Id, ex.Input);
        Assert.Equal("tags.seq", ex.Field);
    }

    [Fact]
    public void Step_content_that_is_not_valid_unicode_is_a_format_error_naming_the_step()
    {
        using SecretKey key = SampleTrajectories.Key();
        NostrEvent session = EventSigner.Sign(new UnsignedEvent(1700000000, TrajectoryKinds.Session, [new Tag("d", "s1")], string.Empty), key);

        // A lone surrogate cannot come through the event parser or the signer, only from an event built by hand.
        NostrEvent step = EventSigner.Sign(new UnsignedEvent(1700000001, TrajectoryKinds.Step, [new Tag("session", "s1"), new Tag("seq", "1")], "{}"), key)
            with { Content = "{\"type\":\"user\",\"content\":\"a\ud800\"}" };

        var ex = Assert.Throws<TrajectoryFormatException>(() => TrajectoryEventReader.Read([session, step]));
        Assert.Equal("event " + step.Id, ex.Input);
        Assert.Equal("content", ex.Field);
    }

    [Fact]
    public void Of_several_unreadable_steps_the_first_by_seq_is_reported()
    {
        using SecretKey key = SampleTrajectories.Key();
        NostrEvent session = EventSigner.Sign(new UnsignedEvent(1700000000, TrajectoryKinds.Session, [new Tag("d", "s1")], string.Empty), key);
        var events = new List<NostrEvent> { session };
        for (int seq = 200; seq >= 1; seq--)
        {
            // Steps 37 and 150 are unreadable; they are given newest first, so the reading order differs from seq order.
            string content = seq is 37 or 150 ? "{\"type\":\"user\",\"content\":" + seq + "}" : "{\"type\":\"user\",\"content\":\"x\"}";
            events.Add(EventSigner.Sign(new UnsignedEvent(1700000000 + seq, TrajectoryKinds.Step, [new Tag("session", "s1"), new Tag("seq", seq.ToString(System.Globalization.CultureInfo.InvariantCulture))], content), key));
        }

        var ex = Assert.Throws<TrajectoryFormatException>(() => TrajectoryEventReader.Read(events));
        Assert.Equal("event " + events.Single(e => e.Tags.FindValue("seq") == "37").Id, ex.Input);
        Assert.Equal("content.content", ex.Field);
    }

    [Fact]
    public void Notes_keep_the_order_of_a_sequential_read_across_gaps()
    {
        using SecretKey key = SampleTrajectories.Key();
        NostrEvent session = EventSigner.Sign(new UnsignedEvent(1700000000, TrajectoryKinds.Session, [new Tag("d", "s1")], string.Empty), key);
        var events = new List<NostrEvent> { session };
        foreach (int seq in new[] { 1, 2, 4, 5, 9 })
        {
            events.Add(EventSigner.Sign(new UnsignedEvent(1700000000 + seq, TrajectoryKinds.Step, [new Tag("session", "s1"), new Tag("seq", seq.ToString(System.Globalization.CultureInfo.InvariantCulture))], "{\"type\":\"Message\",\"role\":\"user\",\"content\":\"m" + seq + "\"}"), key));
        }

        TrajectoryReadResult read = TrajectoryEventReader.Read(events);
        string[] order = read.Notes.Select(n => n.Code == "seq-gap" ? n.Message : n.Location!).ToArray();
        string Step(int seq) => "event " + events.Single(e => e.Tags.FindValue("seq") == seq.ToString(System.Globalization.CultureInfo.InvariantCulture)).Id;
        Assert.Equal(
            [Step(1), Step(2), "seq 3 is missing; next present is 4", Step(4), Step(5), "seq 6 is missing; next present is 9", Step(9)],
            order);
        Assert.Equal(["m1", "m2", "m4", "m5", "m9"], read.Trajectory.Steps.Select(s => Assert.IsType<UserStep>(s).Content));
    }

    [Fact]
    public void No_session_event_is_a_clear_error()
    {
        var ex = Assert.Throws<TrajectoryFormatException>(() => TrajectoryEventReader.Read([], "abc"));
        Assert.Contains("no session event with d = 'abc'", ex.Message, StringComparison.Ordinal);
    }
}
