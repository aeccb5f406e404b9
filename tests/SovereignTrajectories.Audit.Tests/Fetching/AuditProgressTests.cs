using SovereignTrajectories.Audit.Fetching;
using SovereignTrajectories.Audit.Tests.Tamper;
using SovereignTrajectories.Audit.Verification;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Relays;
using SovereignTrajectories.Relays.Configuration;
using SovereignTrajectories.Trajectories.Mapping;
using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Audit.Tests.Fetching;

/// <summary>What a progress display is told during an audit: from an archive, bytes up to its size; from relays, events so far; then the checks.</summary>
public sealed class AuditProgressTests(TwoRelaysFixture relays) : IClassFixture<TwoRelaysFixture>
{
    [Fact]
    public async Task An_archive_reports_bytes_read_in_order_up_to_its_size_then_the_checks()
    {
        using SecretKey key = SecretKey.Generate();
        string root = Directory.CreateTempSubdirectory("sovtraj-progress-").FullName;
        try
        {
            long size = 0;
            foreach ((string sid, int steps) in new[] { ("run-a", 3_000), ("run-b", 40) })
            {
                string dir = Directory.CreateDirectory(Path.Combine(root, sid)).FullName;
                string file = Path.Combine(dir, "events.jsonl");
                await File.WriteAllLinesAsync(file, Map(key, sid, steps).Events.Select(CanonicalJson.Serialize));
                size += new FileInfo(file).Length;
            }

            var progress = new RecordingProgress();
            var source = new ArchiveEventSource(root, progress);
            AuditReport report = await new TrajectoryAuditor(source, progress: progress)
                .AuditAsync(AuditTargetParser.Parse($"39230:{key.PublicKey.Hex}:run-a"), CancellationToken.None);
            Assert.Equal(AuditVerdict.Pass, report.Verdict);

            List<AuditProgress> seen = progress.Reports;
            Assert.Equal(new AuditProgress(AuditStage.Reading, 0, size), seen[0]);
            Assert.Equal(new AuditProgress(AuditStage.Checking, report.EventsFetched, null), seen[^1]);
            List<AuditProgress> reading = seen.Take(seen.Count - 1).ToList();
            Assert.All(reading, p => Assert.Equal((AuditStage.Reading, size), (p.Stage, p.Total!.Value)));
            Assert.True(reading.Zip(reading.Skip(1)).All(pair => pair.First.Done <= pair.Second.Done), "bytes read went backwards");
            Assert.Equal(size, reading[^1].Done);

            // One report per chunk and file: the larger file is read in one 4 MiB chunk here, so three in all.
            Assert.Equal(3, reading.Count);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Relays_report_events_so_far_every_page_then_the_total_then_the_checks()
    {
        using SecretKey key = SecretKey.Generate();
        MappedTrajectory run = Map(key, "run-paged", 1_200);
        await using (var pool = new RelayPool(RelayPoolConfiguration.FromUrls([relays.First.ToString()])))
        {
            Assert.Equal(1, await pool.ConnectAsync(CancellationToken.None));
            Relays.Publishing.PublishResult[] published = await Task.WhenAll(run.Events.Select(e => pool.PublishAsync(e, CancellationToken.None)));
            Assert.All(published, r => Assert.True(r.QuorumReached));
        }

        var progress = new RecordingProgress();
        AuditReport report;
        await using (var source = new RelayEventSource(RelayPoolConfiguration.FromUrls([relays.First.ToString()]), progress: progress))
        {
            report = await new TrajectoryAuditor(source, progress: progress)
                .AuditAsync(AuditTargetParser.Parse($"39230:{key.PublicKey.Hex}:run-paged"), CancellationToken.None);
        }

        // The relay keeps only the newest version of the (addressable) session event.
        int stored = run.StepEvents.Count + 1;
        Assert.Equal(AuditVerdict.Pass, report.Verdict);
        Assert.Equal(stored, report.EventsFetched);
        Assert.Equal(
            [.. new long[] { 500, 1000, stored }.Select(n => new AuditProgress(AuditStage.Fetching, n, null)), new AuditProgress(AuditStage.Checking, stored, null)],
            progress.Reports);
    }

    private static MappedTrajectory Map(SecretKey key, string sid, int steps)
    {
        DateTimeOffset start = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        var list = Enumerable.Range(0, steps)
            .Select(i => (Step)new AgentStep($"step {i}") { Timestamp = start.AddSeconds(i + 1) })
            .ToList();
        var session = new SessionInfo(sid, start) { EndedAt = start.AddSeconds(steps + 1), Model = "m" };
        return new TrajectoryEventMapper().Map(Trajectory.Create(session, list), key);
    }

    /// <summary>Keeps every report in the order given; reports come from one thread at a time.</summary>
    private sealed class RecordingProgress : IProgress<AuditProgress>
    {
        private readonly Lock _gate = new();
        private readonly List<AuditProgress> _reports = [];

        public List<AuditProgress> Reports
        {
            get
            {
                lock (_gate)
                {
                    return [.. _reports];
                }
            }
        }

        public void Report(AuditProgress value)
        {
            lock (_gate)
            {
                _reports.Add(value);
            }
        }
    }
}
