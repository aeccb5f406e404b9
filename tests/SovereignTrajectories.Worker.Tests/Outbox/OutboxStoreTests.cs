using Microsoft.Data.Sqlite;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Trajectories.Mapping;
using SovereignTrajectories.Trajectories.Model;
using SovereignTrajectories.Worker.Outbox;
using SovereignTrajectories.Worker.Tests.EndToEnd;

namespace SovereignTrajectories.Worker.Tests.Outbox;

public sealed class OutboxStoreTests : IDisposable
{
    private static readonly string[] Relays = ["ws://a.example", "ws://b.example", "ws://c.example"];
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sovtraj-outbox-" + Guid.NewGuid().ToString("N"));
    private readonly SecretKey _key = TestRuns.Key();

    private string DbPath => Path.Combine(_dir, "outbox.db");

    [Fact]
    public void Outbox_database_runs_in_wal_mode()
    {
        using (OutboxStore.Open(DbPath))
        {
        }

        SQLitePCL.Batteries_V2.Init();
        using var c = new SqliteConnection($"Data Source={DbPath}");
        c.Open();
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string)cmd.ExecuteScalar()!);
    }

    [Fact]
    public async Task Commit_stores_every_event_with_one_pending_delivery_per_relay()
    {
        using OutboxStore store = OutboxStore.Open(DbPath);
        MappedTrajectory m = Map(TestRuns.Run("s1", 6));

        int added = await store.CommitAsync(new OutboxCommit(m.State, m.Events, Relays, 2), CancellationToken.None);

        Assert.Equal(m.Events.Count, added);
        Assert.Equal(m.Events.Count * Relays.Length, await store.GetDepthAsync(CancellationToken.None));
        Assert.Equal(m.Events.Select(e => e.Id), (await store.GetEventsAsync(m.State.Coordinate, CancellationToken.None)).Select(e => e.Id));
        OutboxStatus status = await store.GetStatusAsync(CancellationToken.None);
        Assert.Equal(1, status.SessionsPending);
        Assert.Equal(0, status.SessionsPublished);
        Assert.Equal(Relays, status.Relays.Select(r => r.Relay));
    }

    [Fact]
    public async Task Committing_the_same_events_again_adds_nothing()
    {
        using OutboxStore store = OutboxStore.Open(DbPath);
        MappedTrajectory m = Map(TestRuns.Run("s1", 6));
        await store.CommitAsync(new OutboxCommit(m.State, m.Events, Relays, 1), CancellationToken.None);
        long depth = await store.GetDepthAsync(CancellationToken.None);

        int added = await store.CommitAsync(new OutboxCommit(m.State, m.Events, Relays, 1), CancellationToken.None);

        Assert.Equal(0, added);
        Assert.Equal(depth, await store.GetDepthAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_second_different_event_for_a_seq_is_refused_and_nothing_of_that_commit_is_written()
    {
        using OutboxStore store = OutboxStore.Open(DbPath);
        MappedTrajectory first = Map(TestRuns.Run("s1", 4));
        await store.CommitAsync(new OutboxCommit(first.State, first.Events, Relays, 1), CancellationToken.None);
        Trajectory original = TestRuns.Run("s1", 4);
        Trajectory changed = original with
        {
            Steps = ValueList.From(original.Steps.Select(s => s.Seq == 2 ? new AgentStep("something else") { Seq = 2, Timestamp = s.Timestamp } : s)),
        };
        MappedTrajectory second = Map(changed);
        long depth = await store.GetDepthAsync(CancellationToken.None);

        var ex = await Assert.ThrowsAsync<OutboxConflictException>(() => store.CommitAsync(new OutboxCommit(second.State, second.Events, Relays, 1), CancellationToken.None));

        Assert.Contains("step 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains(first.StepEvents[1].Id, ex.Message, StringComparison.Ordinal);
        Assert.Equal(depth, await store.GetDepthAsync(CancellationToken.None));
        Assert.Equal(first.Events.Select(e => e.Id), (await store.GetEventsAsync(first.State.Coordinate, CancellationToken.None)).Select(e => e.Id));
    }

    [Fact]
    public async Task Concurrent_commits_grouped_into_one_transaction_all_land_and_a_conflicting_one_fails_alone()
    {
        using OutboxStore store = OutboxStore.Open(DbPath);
        MappedTrajectory first = Map(TestRuns.Run("g-conflict", 4));
        await store.CommitAsync(new OutboxCommit(first.State, first.Events, Relays, 1), CancellationToken.None);
        Trajectory original = TestRuns.Run("g-conflict", 4);
        MappedTrajectory changed = Map(original with
        {
            Steps = ValueList.From(original.Steps.Select(s => s.Seq == 2 ? new AgentStep("something else") { Seq = 2, Timestamp = s.Timestamp } : s)),
        });
        MappedTrajectory[] good = Enumerable.Range(0, 24).Select(i => Map(TestRuns.Run($"g-{i:D2}", 5, start: TestRuns.Start.AddHours(i)))).ToArray();

        // All at once, so several wait on the writer and go into one grouped transaction with the conflicting commit among them.
        Task<int>[] goods = good.Select(m => Task.Run(() => store.CommitAsync(new OutboxCommit(m.State, m.Events, Relays, 1), CancellationToken.None))).ToArray();
        Task<int> bad = Task.Run(() => store.CommitAsync(new OutboxCommit(changed.State, changed.Events, Relays, 1), CancellationToken.None));

        await Assert.ThrowsAsync<OutboxConflictException>(() => bad);
        int[] added = await Task.WhenAll(goods);
        for (int i = 0; i < good.Length; i++)
        {
            Assert.Equal(good[i].Events.Count, added[i]);
            Assert.Equal(good[i].Events.Select(e => e.Id), (await store.GetEventsAsync(good[i].State.Coordinate, CancellationToken.None)).Select(e => e.Id));
        }

        Assert.Equal(first.Events.Select(e => e.Id), (await store.GetEventsAsync(first.State.Coordinate, CancellationToken.None)).Select(e => e.Id));
        Assert.Equal((first.Events.Count + good.Sum(m => m.Events.Count)) * Relays.Length, await store.GetDepthAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_reopened_outbox_gives_back_the_state_appends_continue_from()
    {
        MappedTrajectory m = Map(TestRuns.Run("live-1", 5, ended: false));
        using (OutboxStore store = OutboxStore.Open(DbPath))
        {
            await store.CommitAsync(new OutboxCommit(m.State, m.Events, Relays, 1, "a file"), CancellationToken.None);
        }

        using OutboxStore reopened = OutboxStore.Open(DbPath);
        StoredSession? stored = await reopened.GetSessionAsync(m.State.Coordinate, CancellationToken.None);

        Assert.NotNull(stored);
        Assert.Equal(m.State.StepIds, stored.State.StepIds);
        Assert.Equal(m.State.StepContents, stored.State.StepContents);
        Assert.Equal(m.State.OpeningId, stored.State.OpeningId);
        Assert.Equal(m.State.LastSessionCreatedAt, stored.State.LastSessionCreatedAt);
        Assert.Equal(m.State.LastStepCreatedAt, stored.State.LastStepCreatedAt);
        Assert.Equal(m.State.Trajectory.Steps, stored.State.Trajectory.Steps);
        Assert.False(stored.Ended);
        Assert.Equal("a file", stored.Source);

        // The append from the stored state continues the chain exactly as one from the original state would.
        var mapper = new TrajectoryEventMapper();
        MappedTrajectory fromStored = mapper.Append(stored.State, [new AgentStep("more") { Timestamp = TestRuns.Start.AddMinutes(5) }], _key);
        MappedTrajectory fromOriginal = mapper.Append(m.State, [new AgentStep("more") { Timestamp = TestRuns.Start.AddMinutes(5) }], _key);
        Assert.Equal(fromOriginal.Events.Select(e => e.Id), fromStored.Events.Select(e => e.Id));
    }

    [Fact]
    public async Task A_session_is_published_only_when_every_current_event_reached_the_quorum()
    {
        using OutboxStore store = OutboxStore.Open(DbPath);
        MappedTrajectory m = Map(TestRuns.Run("s1", 3));
        await store.CommitAsync(new OutboxCommit(m.State, m.Events, Relays, 2), CancellationToken.None);
        string coordinate = m.State.Coordinate;

        IReadOnlyList<PendingDelivery> dueA = await store.GetDueAsync(Relays[0], 1000, CancellationToken.None);
        Assert.Equal(m.Events.Count, dueA.Count);
        IReadOnlyList<string> afterOne = await store.RecordAsync(Relays[0], dueA.Select(Accept).ToList(), CancellationToken.None);
        Assert.Empty(afterOne);
        Assert.False((await store.GetSessionStatusAsync(coordinate, CancellationToken.None))!.Published);

        IReadOnlyList<PendingDelivery> dueB = await store.GetDueAsync(Relays[1], 1000, CancellationToken.None);
        // The opening version was superseded by the final one at relay B only once B accepts the final one;
        // here B accepts everything but the last step.
        var allButOne = dueB.Where(d => d.EventId != m.StepEvents[^1].Id).Select(Accept).ToList();
        Assert.Empty(await store.RecordAsync(Relays[1], allButOne, CancellationToken.None));
        Assert.False((await store.GetSessionStatusAsync(coordinate, CancellationToken.None))!.Published);

        PendingDelivery last = (await store.GetDueAsync(Relays[1], 1000, CancellationToken.None)).Single();
        IReadOnlyList<string> published = await store.RecordAsync(Relays[1], [Accept(last)], CancellationToken.None);

        Assert.Equal([coordinate], published);
        Assert.True((await store.GetSessionStatusAsync(coordinate, CancellationToken.None))!.Published);
        // Relay C still gets everything: stragglers keep their pending deliveries.
        Assert.Equal(m.Events.Count, (await store.GetDueAsync(Relays[2], 1000, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task An_older_session_version_is_not_sent_to_a_relay_that_accepted_a_newer_one()
    {
        using OutboxStore store = OutboxStore.Open(DbPath);
        MappedTrajectory m = Map(TestRuns.Run("s1", 3));
        await store.CommitAsync(new OutboxCommit(m.State, m.Events, Relays, 1), CancellationToken.None);
        PendingDelivery final = (await store.GetDueAsync(Relays[0], 1000, CancellationToken.None)).Single(d => d.EventId == m.LatestSession.Id);

        await store.RecordAsync(Relays[0], [Accept(final)], CancellationToken.None);

        IReadOnlyList<PendingDelivery> due = await store.GetDueAsync(Relays[0], 1000, CancellationToken.None);
        Assert.DoesNotContain(due, d => d.EventId == m.SessionVersions[0].Id);
        Assert.Equal(m.StepEvents.Select(e => e.Id), due.Select(d => d.EventId));
    }

    [Fact]
    public async Task A_delivery_given_up_on_every_relay_makes_the_session_unreachable_with_the_reason()
    {
        using OutboxStore store = OutboxStore.Open(DbPath);
        MappedTrajectory m = Map(TestRuns.Run("s1", 2));
        string[] one = [Relays[0]];
        await store.CommitAsync(new OutboxCommit(m.State, m.Events, one, 1), CancellationToken.None);
        PendingDelivery step = (await store.GetDueAsync(one[0], 1000, CancellationToken.None)).First(d => d.EventId == m.StepEvents[0].Id);

        await store.RecordAsync(one[0], [new DeliveryAttempt(step.EventNo, DeliveryStatus.Failed, true, "rejected", "invalid: bad signature", DateTimeOffset.UtcNow)], CancellationToken.None);

        SessionDeliveryStatus status = (await store.GetSessionStatusAsync(m.State.Coordinate, CancellationToken.None))!;
        Assert.True(status.Settled);
        Assert.False(status.Published);
        Assert.Equal(1, status.EventsUnreachable);
        Assert.Contains("invalid: bad signature", Assert.Single(status.FailureReasons), StringComparison.Ordinal);
        RelayHealth health = Assert.Single((await store.GetStatusAsync(CancellationToken.None)).Relays);
        Assert.Equal(1, health.Failed);
        Assert.Contains("invalid: bad signature", health.LastError, StringComparison.Ordinal);
        Assert.False(health.Healthy);
    }

    [Fact]
    public async Task A_relay_added_later_gets_every_current_event_and_one_removed_stops_holding_the_outbox()
    {
        using OutboxStore store = OutboxStore.Open(DbPath);
        MappedTrajectory m = Map(TestRuns.Run("s1", 3));
        await store.CommitAsync(new OutboxCommit(m.State, m.Events, [Relays[0], Relays[1]], 1), CancellationToken.None);

        (int added, int dropped) = await store.AlignRelaysAsync([Relays[0], Relays[2]], CancellationToken.None);

        // The opening version is superseded by the final one, so the new relay gets steps and the final version only.
        Assert.Equal(m.Events.Count - 1, added);
        Assert.Equal(m.Events.Count, dropped);
        IReadOnlyList<PendingDelivery> due = await store.GetDueAsync(Relays[2], 1000, CancellationToken.None);
        Assert.DoesNotContain(due, d => d.EventId == m.SessionVersions[0].Id);
        Assert.Empty(await store.GetDueAsync(Relays[1], 1000, CancellationToken.None));
        Assert.Equal((m.Events.Count * 2) - 1, await store.GetDepthAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Due_deliveries_leave_out_the_ones_on_the_wire_and_come_oldest_first_up_to_the_limit()
    {
        using OutboxStore store = OutboxStore.Open(DbPath);
        MappedTrajectory m = Map(TestRuns.Run("due-skip", 8));
        await store.CommitAsync(new OutboxCommit(m.State, m.Events, Relays, 1), CancellationToken.None);
        IReadOnlyList<PendingDelivery> all = await store.GetDueAsync(Relays[0], 1000, CancellationToken.None);
        Assert.Equal(m.Events.Count, all.Count);
        Assert.Equal(all.Select(d => d.EventNo).Order(), all.Select(d => d.EventNo));

        long[] onTheWire = [all[0].EventNo, all[2].EventNo, all[3].EventNo];
        DueDeliveries next = await store.GetDueAsync(Relays[0], 3, onTheWire, CancellationToken.None);

        Assert.Equal([all[1].EventNo, all[4].EventNo, all[5].EventNo], next.Due.Select(d => d.EventNo));
        Assert.Null(next.NextDueAt); // nothing pending beyond what is due now
        DueDeliveries rest = await store.GetDueAsync(Relays[0], 1000, [.. onTheWire, .. next.Due.Select(d => d.EventNo)], CancellationToken.None);
        Assert.Equal(all.Skip(6).Select(d => d.EventNo), rest.Due.Select(d => d.EventNo));
        Assert.Empty((await store.GetDueAsync(Relays[0], 1000, all.Select(d => d.EventNo).ToArray(), CancellationToken.None)).Due);
        Assert.Empty((await store.GetDueAsync(Relays[0], 0, [], CancellationToken.None)).Due);
    }

    [Fact]
    public async Task Due_deliveries_report_when_the_next_retry_falls_due_and_leave_it_out_until_then()
    {
        using OutboxStore store = OutboxStore.Open(DbPath);
        MappedTrajectory m = Map(TestRuns.Run("due-next", 3));
        await store.CommitAsync(new OutboxCommit(m.State, m.Events, Relays, 1), CancellationToken.None);
        IReadOnlyList<PendingDelivery> all = await store.GetDueAsync(Relays[0], 1000, CancellationToken.None);
        DateTimeOffset later = DateTimeOffset.UtcNow.AddHours(1);
        DateTimeOffset latest = later.AddHours(1);
        await store.RecordAsync(
            Relays[0],
            [
                new DeliveryAttempt(all[0].EventNo, DeliveryStatus.Pending, true, "timeout", "no OK", latest),
                new DeliveryAttempt(all[1].EventNo, DeliveryStatus.Pending, true, "timeout", "no OK", later),
            ],
            CancellationToken.None);

        DueDeliveries due = await store.GetDueAsync(Relays[0], 1000, [], CancellationToken.None);

        Assert.Equal(all.Skip(2).Select(d => d.EventNo), due.Due.Select(d => d.EventNo));
        Assert.Equal(later.ToUnixTimeMilliseconds(), due.NextDueAt?.ToUnixTimeMilliseconds());
        Assert.Equal(m.Events.Count * Relays.Length, await store.GetDepthAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Due_deliveries_refuse_a_negative_limit_and_a_missing_skip_list()
    {
        using OutboxStore store = OutboxStore.Open(DbPath);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.GetDueAsync(Relays[0], -1, [], CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentNullException>(() => store.GetDueAsync(Relays[0], 1, null!, CancellationToken.None));
    }

    public void Dispose()
    {
        _key.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static DeliveryAttempt Accept(PendingDelivery d) =>
        new(d.EventNo, DeliveryStatus.Accepted, true, "accepted", string.Empty, DateTimeOffset.UtcNow);

    private MappedTrajectory Map(Trajectory t) => new TrajectoryEventMapper().Map(t, _key);
}
