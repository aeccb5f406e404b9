using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Testing;
using SovereignTrajectories.Trajectories.Ingest;
using SovereignTrajectories.Trajectories.Mapping;
using SovereignTrajectories.Trajectories.Model;
using SovereignTrajectories.Trajectories.Receipts;
using SovereignTrajectories.Worker.Outbox;
using SovereignTrajectories.Worker.Pipeline;

namespace SovereignTrajectories.Worker.Tests.EndToEnd;

/// <summary>Run -> outbox -> three real relay processes -> query back -> parse -> equal to the input model.</summary>
public sealed class ThreeRelayEndToEndTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Every_run_reaches_every_relay_and_reads_back_equal_to_the_input()
    {
        using var cts = new CancellationTokenSource(Bound);
        await using LocalRelay a = await LocalRelay.StartAsync(ct: cts.Token);
        await using LocalRelay b = await LocalRelay.StartAsync(ct: cts.Token);
        await using LocalRelay c = await LocalRelay.StartAsync(ct: cts.Token);
        Uri[] urls = [a.Url, b.Url, c.Url];
        await using TestWorker w = await TestWorker.CreateAsync(urls, quorum: 2);

        var runs = Enumerable.Range(1, 4).Select(i => TestRuns.Run($"e2e-{i}", 6 + (i * 3), start: TestRuns.Start.AddHours(i))).ToList();
        var results = new List<CommitResult>();
        foreach (Trajectory run in runs)
        {
            results.Add(await w.Publisher.CommitAsync(run, null, cts.Token));
        }

        foreach (string file in SampleFiles())
        {
            IReadOnlyList<CommitResult> fromFile = await w.Publisher.CommitFileAsync(file, TrajectoryFormat.Auto, cts.Token);
            IngestResult ingest = await new TrajectoryIngest().ReadFileAsync(file, cancellationToken: cts.Token);
            runs.AddRange(ingest.Trajectories);
            results.AddRange(fromFile);
        }

        foreach (CommitResult r in results)
        {
            await w.Notifications.WhenSessionPublishedAsync(r.Coordinate, cts.Token);
        }

        await w.Notifications.WhenDrainedAsync(cts.Token);
        OutboxStatus status = await w.Store.GetStatusAsync(cts.Token);
        Assert.Equal(0, status.Depth);
        Assert.Equal(results.Count, status.SessionsPublished);
        Assert.Equal(0, status.FailedDeliveries);

        var pipeline = new TrajectoryPublisherPipeline(new TrajectoryMapperOptions { RelayHint = a.Url.ToString().TrimEnd('/') });
        foreach (Uri relay in urls)
        {
            IReadOnlyList<NostrEvent> held = await RelayReadBack.QueryAsync(relay, w.Publisher.PublicKeyHex, cts.Token);
            for (int i = 0; i < runs.Count; i++)
            {
                Trajectory expected = TestRuns.AsPublished(pipeline.Prepare(runs[i]).Prepared);
                TrajectoryReadResult read = TrajectoryEventReader.Read(held.Where(e => e.Kind != TickReceipt.Kind), runs[i].Session.Sid);
                Assert.Equal(expected, read.Trajectory with { Notes = ValueList<TrajectoryNote>.Empty });
                Assert.Equal(results[i].LatestSessionId, read.Session.Id);
                NostrEvent receipt = Assert.Single(held, e => e.Kind == TickReceipt.Kind && e.DTag == runs[i].Session.Sid);
                Assert.Equal(results[i].LatestSessionId, TickReceiptParser.Parse(receipt).TrajectoryEventId);
            }
        }
    }

    private static IEnumerable<string> SampleFiles()
    {
        if (!Directory.Exists(RepoPaths.SamplesDir))
        {
            return [];
        }

        // One file per format directory: whatever the ingest adapters read.
        return Directory.GetDirectories(RepoPaths.SamplesDir)
            .Select(d => Directory.GetFiles(d).Where(f => !f.EndsWith(".md", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).FirstOrDefault())
            .OfType<string>()
            .Order(StringComparer.Ordinal);
    }
}
