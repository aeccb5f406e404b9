using SovereignTrajectories.Audit.Fetching;
using SovereignTrajectories.Audit.Tests.Tamper;
using SovereignTrajectories.Audit.Verification;
using SovereignTrajectories.Nostr.Filters;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Trajectories.Mapping;

namespace SovereignTrajectories.Audit.Tests.Verification;

public sealed class AuditTimingTests
{
    [Fact]
    public async Task Fetch_time_is_the_time_spent_in_the_source_and_the_audit_time_is_on_the_same_clock()
    {
        using SecretKey key = SecretKey.Generate();
        MappedTrajectory run = SampleRun.Publish(key, "run-timing").Mapped;
        using var archive = new TestArchive(run.Events, run);
        var clock = new SteppedClock();
        var source = new SlowSource(new ArchiveEventSource(archive.Directory), clock, TimeSpan.FromSeconds(3));

        // A session named by its event id takes two queries (the event, then the session): each counts, once.
        AuditReport report = await new TrajectoryAuditor(source, time: clock)
            .AuditAsync(AuditTargetParser.Parse(run.LatestSession.Id), CancellationToken.None);

        Assert.Equal(AuditVerdict.Pass, report.Verdict);
        Assert.Equal(2, source.Queries);
        Assert.Equal(TimeSpan.FromSeconds(6), report.FetchElapsed);

        // The clock moved only inside the source, so the audit's own time is that and the checks took none of it.
        Assert.Equal(TimeSpan.FromSeconds(6), report.Elapsed);
    }

    /// <summary>Wall time stands still unless a source moves it; the date is the real one.</summary>
    private sealed class SteppedClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }

    /// <summary>A source whose every query takes <paramref name="each"/> on the clock.</summary>
    private sealed class SlowSource(IEventSource inner, SteppedClock clock, TimeSpan each) : IEventSource
    {
        public int Queries { get; private set; }

        public string Description => inner.Description;

        public bool IsOffline => inner.IsOffline;

        public async Task<EventBatch> FetchAsync(IReadOnlyList<Filter> filters, CancellationToken cancellationToken)
        {
            Queries++;
            clock.Advance(each);
            return await inner.FetchAsync(filters, cancellationToken);
        }

        public string? ArtifactsDirectory(string sid) => inner.ArtifactsDirectory(sid);
    }
}
