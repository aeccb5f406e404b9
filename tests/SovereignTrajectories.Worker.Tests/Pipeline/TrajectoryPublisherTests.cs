using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Trajectories.Commitments;
using SovereignTrajectories.Trajectories.Mapping;
using SovereignTrajectories.Trajectories.Model;
using SovereignTrajectories.Trajectories.Receipts;
using SovereignTrajectories.Worker.Intake;
using SovereignTrajectories.Worker.Outbox;
using SovereignTrajectories.Worker.Pipeline;
using SovereignTrajectories.Worker.Tests.EndToEnd;

namespace SovereignTrajectories.Worker.Tests.Pipeline;

/// <summary>The conversion glue without delivery (no relay needed: nothing is sent).</summary>
public sealed class TrajectoryPublisherTests
{
    private static readonly Uri[] NoRelay = [new("ws://127.0.0.1:9")];

    [Fact]
    public async Task Committing_the_same_run_twice_adds_nothing_the_second_time()
    {
        await using TestWorker w = await TestWorker.CreateAsync(NoRelay, start: false);
        Trajectory run = TestRuns.Run("twice", 6);

        CommitResult first = await w.Publisher.CommitAsync(run, "a.jsonl", CancellationToken.None);
        CommitResult second = await w.Publisher.CommitAsync(run, "a.jsonl", CancellationToken.None);

        Assert.Equal(CommitKind.Created, first.Kind);
        Assert.Equal(CommitKind.Unchanged, second.Kind);
        Assert.Equal(0, second.NewEvents);
        Assert.Equal(first.LatestSessionId, second.LatestSessionId);
        Assert.Equal(first.NewEvents, (await w.Store.GetEventsAsync(first.Coordinate, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task A_longer_view_of_a_run_appends_only_its_new_steps_and_keeps_the_earlier_events()
    {
        await using TestWorker w = await TestWorker.CreateAsync(NoRelay, start: false);
        Trajectory full = TestRuns.Run("growing", 9);
        Trajectory start = Trajectory.Create(full.Session with { EndedAt = null }, full.Steps.Take(4));

        CommitResult opened = await w.Publisher.CommitAsync(start, "live", CancellationToken.None);
        IReadOnlyList<NostrEvent> before = await w.Store.GetEventsAsync(opened.Coordinate, CancellationToken.None);
        CommitResult ended = await w.Publisher.CommitAsync(full, "file", CancellationToken.None);
        IReadOnlyList<NostrEvent> after = await w.Store.GetEventsAsync(opened.Coordinate, CancellationToken.None);

        Assert.Equal(CommitKind.Appended, ended.Kind);
        Assert.True(ended.Ended);
        Assert.Equal(9, ended.StepCount);
        Assert.Equal(before.Select(e => e.Id), after.Take(before.Count).Select(e => e.Id));
        int[] seqs = after.Where(e => e.Kind == TrajectoryKinds.Step).Select(e => int.Parse(e.Tags.FindValue("seq")!, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(Enumerable.Range(1, 9), seqs);
        TrajectoryReadResult read = TrajectoryEventReader.Read(after.Where(e => e.Kind != TickReceipt.Kind));
        Assert.Equal(9, read.Trajectory.Steps.Count);
        Assert.Equal(ended.LatestSessionId, read.Session.Id);
    }

    [Fact]
    public async Task A_run_whose_published_step_changed_is_refused_naming_the_step()
    {
        await using TestWorker w = await TestWorker.CreateAsync(NoRelay, start: false);
        Trajectory run = TestRuns.Run("changed", 5);
        await w.Publisher.CommitAsync(run, "a", CancellationToken.None);
        Trajectory edited = run with { Steps = ValueList.From(run.Steps.Select(s => s.Seq == 3 ? new AgentStep("rewritten history") { Seq = 3, Timestamp = s.Timestamp } : s)) };

        var ex = await Assert.ThrowsAsync<OutboxConflictException>(() => w.Publisher.CommitAsync(edited, "b.jsonl", CancellationToken.None));

        Assert.Contains("b.jsonl", ex.Message, StringComparison.Ordinal);
        Assert.Contains("step 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ended_run_carries_a_receipt_pinning_its_final_version_root_and_verification()
    {
        await using TestWorker w = await TestWorker.CreateAsync(NoRelay, start: false);
        Trajectory run = TestRuns.Run("receipt", 8) with { Payments = [new Payment(21000) { Bolt11 = "lnbc210n1example", Direction = "in" }] };

        CommitResult r = await w.Publisher.CommitAsync(run, null, CancellationToken.None);

        IReadOnlyList<NostrEvent> events = await w.Store.GetEventsAsync(r.Coordinate, CancellationToken.None);
        NostrEvent receipt = Assert.Single(events, e => e.Kind == TickReceipt.Kind);
        Assert.Equal(r.ReceiptId, receipt.Id);
        Assert.True(EventVerifier.Verify(receipt).IsValid);
        NostrEvent final = events.Single(e => e.Id == r.LatestSessionId);
        TickReceipt parsed = TickReceiptParser.Parse(receipt);
        Assert.Equal(final.Id, parsed.TrajectoryEventId);
        Assert.Equal(r.Coordinate, parsed.SessionCoordinate);
        Assert.Equal(final.Tags.FindValue("trajectory_hash"), parsed.TrajectoryHash);
        string[] stepIds = events.Where(e => e.Kind == TrajectoryKinds.Step).Select(e => e.Id).ToArray();
        Assert.Equal(MerkleTree.FromEventIds(stepIds).RootHex, parsed.MerkleRoot);
        Assert.Equal(8, parsed.MerkleSize);
        Assert.True(parsed.VerificationPassed);
        Assert.NotNull(parsed.VerificationDigest);
        Assert.Equal(21000, parsed.AmountMsat);
        Assert.Equal("lnbc210n1example", parsed.Bolt11);
        Assert.True(parsed.Summary.Usage.TokensIn > 0);
    }

    [Fact]
    public async Task A_configured_amount_is_claimed_when_the_run_carries_no_payment()
    {
        await using TestWorker w = await TestWorker.CreateAsync(NoRelay, start: false, settings: new Dictionary<string, string?>
        {
            ["SovereignTrajectories:Receipt:AmountMsat"] = "5000",
        });

        CommitResult r = await w.Publisher.CommitAsync(TestRuns.Run("amount", 3), null, CancellationToken.None);

        NostrEvent receipt = (await w.Store.GetEventsAsync(r.Coordinate, CancellationToken.None)).Single(e => e.Kind == TickReceipt.Kind);
        Assert.Equal(5000, TickReceiptParser.Parse(receipt).AmountMsat);
    }

    [Fact]
    public async Task A_run_that_has_not_ended_gets_no_receipt_until_it_ends()
    {
        await using TestWorker w = await TestWorker.CreateAsync(NoRelay, start: false);
        CommitResult open = await w.Publisher.CommitAsync(TestRuns.Run("open", 3, ended: false), null, CancellationToken.None);
        Assert.Null(open.ReceiptId);

        CommitResult ended = await w.Publisher.AppendStepsAsync("open", [new AgentStep("finished")], TestRuns.Start.AddMinutes(2), null, CancellationToken.None);

        Assert.NotNull(ended.ReceiptId);
        Assert.True(ended.Ended);
        Assert.Equal(4, ended.StepCount);
    }

    [Fact]
    public async Task A_reward_after_the_end_appends_a_step_a_new_final_version_and_a_newer_receipt()
    {
        await using TestWorker w = await TestWorker.CreateAsync(NoRelay, start: false);
        CommitResult first = await w.Publisher.CommitAsync(TestRuns.Run("fb", 4), null, CancellationToken.None);

        CommitResult second = await w.Publisher.AppendStepsAsync("fb", [new RewardStep(RewardSignal.Accept, 1.0, RewardSource.Explicit)], null, "feedback", CancellationToken.None);

        IReadOnlyList<NostrEvent> events = await w.Store.GetEventsAsync(first.Coordinate, CancellationToken.None);
        NostrEvent[] receipts = events.Where(e => e.Kind == TickReceipt.Kind).ToArray();
        Assert.Equal(2, receipts.Length);
        Assert.True(receipts[1].CreatedAt > receipts[0].CreatedAt);
        Assert.Equal(second.LatestSessionId, TickReceiptParser.Parse(receipts[1]).TrajectoryEventId);
        Assert.NotEqual(first.LatestSessionId, second.LatestSessionId);
        Assert.Equal(5, second.StepCount);
        Assert.True(second.Ended);
    }

    [Fact]
    public async Task Appending_to_an_unknown_session_names_it()
    {
        await using TestWorker w = await TestWorker.CreateAsync(NoRelay, start: false);

        var ex = await Assert.ThrowsAsync<SessionNotFoundException>(() => w.Publisher.AppendStepsAsync("nope", [new AgentStep("x")], null, null, CancellationToken.None));

        Assert.Equal("nope", ex.Sid);
    }

    [Fact]
    public async Task A_bad_run_file_is_refused_naming_the_file_and_nothing_is_committed()
    {
        await using TestWorker w = await TestWorker.CreateAsync(NoRelay, start: false);
        string bad = Path.Combine(w.DataDirectory, "broken.json");
        await File.WriteAllTextAsync(bad, "{\"schema_version\": \"ATIF-v1.4\", \"steps\": [ {\"step_id\": ");

        var ex = await Assert.ThrowsAnyAsync<FormatException>(() => w.Publisher.CommitFileAsync(bad, Trajectories.Ingest.TrajectoryFormat.Auto, CancellationToken.None));

        Assert.Contains("broken.json", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, await w.Store.GetDepthAsync(CancellationToken.None));
    }
}
