using System.Diagnostics;
using System.Globalization;
using System.Text;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Trajectories.Ingest;
using SovereignTrajectories.Trajectories.Mapping;
using SovereignTrajectories.Trajectories.Model;
using SovereignTrajectories.Worker.Outbox;

namespace SovereignTrajectories.Benchmarks.Worker;

/// <summary>
/// Where a run's time goes on its way into the outbox, one stage at a time on one thread:
/// read and parse the file, redact, map, sign, and commit to a fresh outbox (one transaction per
/// run, as the worker does). Answers "which stage bounds steps/s" without a profiler.
/// </summary>
internal static class WorkerStageBreakdown
{
    public static async Task<string> MeasureAsync(string[] files, int steps, string dir, CancellationToken ct)
    {
        var ingest = new TrajectoryIngest();
        var pipeline = new TrajectoryPublisherPipeline();
        using SecretKey key = SecretKey.Generate();
        string pubkey = key.PublicKey.Hex;
        var mapper = new TrajectoryEventMapper();
        long read = 0, redact = 0, map = 0, sign = 0, commit = 0;
        int events = 0;
        string db = Path.Combine(dir, "stages-outbox.db");
        using OutboxStore store = OutboxStore.Open(db);
        foreach (string file in files)
        {
            long t0 = Stopwatch.GetTimestamp();
            IngestResult ingested = await ingest.ReadFileAsync(file, TrajectoryFormat.Replay, cancellationToken: ct).ConfigureAwait(false);
            long t1 = Stopwatch.GetTimestamp();
            read += t1 - t0;
            foreach (Trajectory run in ingested.Trajectories)
            {
                long r0 = Stopwatch.GetTimestamp();
                (Trajectory prepared, _) = pipeline.Prepare(run);
                long r1 = Stopwatch.GetTimestamp();
                redact += r1 - r0;
                long signing = 0;
                MappedTrajectory mapped = mapper.Map(prepared, pubkey, u =>
                {
                    long s0 = Stopwatch.GetTimestamp();
                    NostrEvent e = EventSigner.Sign(u, key);
                    signing += Stopwatch.GetTimestamp() - s0;
                    return e;
                });
                long r2 = Stopwatch.GetTimestamp();
                sign += signing;
                map += r2 - r1 - signing;
                events += mapped.Events.Count;
                await store.CommitAsync(new OutboxCommit(mapped.State, mapped.Events, ["ws://127.0.0.1:1"], 1, file), ct).ConfigureAwait(false);
                commit += Stopwatch.GetTimestamp() - r2;
            }
        }

        double totalSteps = (double)files.Length * steps;
        long all = read + redact + map + sign + commit;
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Stage costs, one thread, {files.Length} runs x {steps} steps ({events} signed events), fresh outbox:");
        sb.AppendLine();
        sb.AppendLine("| stage | total ms | us per step | share | steps/s if only this stage |");
        sb.AppendLine("|---|---|---|---|---|");
        foreach ((string name, long ticks) in new[] { ("read + parse file", read), ("redact + statements", redact), ("map (no signing)", map), ("sign (BIP-340)", sign), ("outbox commit (1 tx/run)", commit), ("all", all) })
        {
            double ms = ticks * 1000.0 / Stopwatch.Frequency;
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {ms:0} | {ms * 1000 / totalSteps:0.0} | {(double)ticks / all:P0} | {totalSteps / (ms / 1000):0} |");
        }

        return sb.ToString();
    }
}
