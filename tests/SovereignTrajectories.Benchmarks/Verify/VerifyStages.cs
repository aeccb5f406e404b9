using System.Diagnostics;
using System.Globalization;
using SovereignTrajectories.Audit.Fetching;
using SovereignTrajectories.Audit.Verification;
using SovereignTrajectories.Nostr.Events;

namespace SovereignTrajectories.Benchmarks.Verify;

/// <summary>
/// <c>verify --offline-only --stages</c>: times the stages of offline verification one by one (read,
/// strict parse, parse with the one-pass id, id hash, signature) so the whole-run figure can be attributed. Diagnostic only: it
/// runs before the measured audit and raises the child's peak memory.
/// </summary>
internal static class VerifyStages
{
    public static void Run(string file)
    {
        var sw = Stopwatch.StartNew();
        byte[] bytes = File.ReadAllBytes(file);
        Report("read file", sw, bytes.Length / (1024.0 * 1024.0), "MiB");

        var lines = new List<(int Start, int Length)>();
        int start = 0;
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                lines.Add((start, i - start));
                start = i + 1;
            }
        }

        var events = new NostrEvent[lines.Count];
        for (int round = 1; round <= 2; round++)
        {
            // The first round includes JIT and tiering; the second is the steady state.
            sw.Restart();
            for (int i = 0; i < lines.Count; i++)
            {
                events[i] = EventParser.Parse(bytes.AsSpan(lines[i].Start, lines[i].Length));
            }

            Report($"strict parse, 1 core, round {round}", sw, events.Length / sw.Elapsed.TotalSeconds, "events/s");
        }

        // What the archive reader does: parse and compute the id from the bytes in one pass.
        sw.Restart();
        Span<byte> id = stackalloc byte[32];
        for (int i = 0; i < lines.Count; i++)
        {
            EventParser.Parse(bytes.AsSpan(lines[i].Start, lines[i].Length), id);
        }

        Report("strict parse + id in one pass, 1 core", sw, lines.Count / sw.Elapsed.TotalSeconds, "events/s");

        sw.Restart();
        foreach (NostrEvent e in events)
        {
            EventId.Compute(e.PubKey, e.CreatedAt, e.Kind, e.Tags, e.Content, id);
        }

        Report("id hash (re-serialise + SHA-256), 1 core", sw, events.Length / sw.Elapsed.TotalSeconds, "events/s");

        sw.Restart();
        foreach (NostrEvent e in events)
        {
            EventVerifier.Verify(e);
        }

        Report("EventVerifier.Verify (id + sig), 1 core", sw, events.Length / sw.Elapsed.TotalSeconds, "events/s");

        sw.Restart();
        var keys = new EventVerifier.PublicKeyCache();
        foreach (NostrEvent e in events)
        {
            EventVerifier.Verify(e, keys);
        }

        Report("EventVerifier.Verify with a key cache, 1 core", sw, events.Length / sw.Elapsed.TotalSeconds, "events/s");

        sw.Restart();
        Parallel.For(0, events.Length, i => EventVerifier.Verify(events[i], keys));
        Report("EventVerifier.Verify with a key cache, all cores", sw, events.Length / sw.Elapsed.TotalSeconds, "events/s");

        sw.Restart();
        var failures = new List<EventParseFailure>();
        List<NostrEvent> read = ArchiveEventSource.ReadFile(file, failures, CancellationToken.None);
        Report("ArchiveEventSource.ReadFile, all cores", sw, read.Count / sw.Elapsed.TotalSeconds, "events/s");
    }

    /// <summary>Live heap after each stage of an audit, forcing full collections: where the peak comes from.</summary>
    public static void Memory(string dir, string pubKey, string sid)
    {
        long baseline = GC.GetTotalMemory(forceFullCollection: true);
        var source = new ArchiveEventSource(dir);
        EventBatch batch = source.FetchAsync(TrajectoryFilters.ForSession(pubKey, sid), CancellationToken.None).GetAwaiter().GetResult();
        double peakLoaded = PeakMb();
        long loaded = GC.GetTotalMemory(forceFullCollection: true);
        TrajectoryVerification v = new TrajectoryVerifier().Verify(new TrajectoryEvidence(pubKey, sid, batch.Events, batch.ParseFailures, batch.Sources, true, source.ArtifactsDirectory(sid)));
        double peakVerified = PeakMb();
        long verified = GC.GetTotalMemory(forceFullCollection: true);
        Console.Error.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"memory: baseline {baseline / 1e6:0} MB, events loaded +{(loaded - baseline) / 1e6:0} MB ({batch.Events.Count} events), after verification +{(verified - loaded) / 1e6:0} MB (read model and results); peak working set {peakLoaded:0} MB after loading, {peakVerified:0} MB after verifying"));
        GC.KeepAlive(v);
        GC.KeepAlive(batch);
    }

    private static double PeakMb()
    {
        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64 / (1024.0 * 1024.0);
    }

    private static void Report(string stage, Stopwatch sw, double value, string unit) =>
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stage {stage}: {sw.Elapsed.TotalMilliseconds:0} ms ({value:0.0} {unit})"));
}
