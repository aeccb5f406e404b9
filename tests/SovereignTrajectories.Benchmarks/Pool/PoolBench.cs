using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Filters;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Relays;
using SovereignTrajectories.Relays.Configuration;
using SovereignTrajectories.Relays.Publishing;
using SovereignTrajectories.Relays.Querying;
using SovereignTrajectories.Testing;

namespace SovereignTrajectories.Benchmarks.Pool;

/// <summary>
/// <c>bench pool</c>: our relay pool against a nostr-tools client (tests/peers/bench-pool.mjs) on
/// (1) fresh local relays, publishing pre-signed events pipelined; (2) an ACK-only relay double,
/// where only the client limits the rate; (3) querying back and verifying events.
/// </summary>
internal static class PoolBench
{
    private const int QueryRuns = 3;

    public static async Task<int> RunAsync(string[] args)
    {
        int relayEvents = 3000;
        int ackEvents = 50_000;
        int queryEvents = 1000;
        for (int i = 0; i < args.Length; i++)
        {
            if (i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out int n) && n > 0
                && args[i] is "--events" or "--ack-events" or "--query")
            {
                switch (args[i])
                {
                    case "--events": relayEvents = n; break;
                    case "--ack-events": ackEvents = n; break;
                    default: queryEvents = n; break;
                }

                i++;
            }
            else
            {
                Console.Error.WriteLine($"pool: unknown or malformed argument '{args[i]}'; usage: pool [--events N] [--ack-events N] [--query N]");
                return 2;
            }
        }

        queryEvents = Math.Min(queryEvents, relayEvents);
        using SecretKey key = SecretKey.Generate();
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Console.Error.WriteLine($"pool: signing {(2 * relayEvents) + ackEvents} events...");
        NostrEvent[] ours = Sign(key, relayEvents, now - relayEvents - 10, "ours");
        NostrEvent[] theirs = Sign(key, relayEvents, now - relayEvents - 10, "theirs");
        NostrEvent[] ack = Sign(key, ackEvents, now - ackEvents - 10, "ack");
        string dir = Directory.CreateTempSubdirectory("sovtraj-bench-pool-").FullName;
        try
        {
            string theirsFile = await WriteLinesAsync(dir, "theirs.jsonl", theirs).ConfigureAwait(false);
            string ackFile = await WriteLinesAsync(dir, "ack.jsonl", ack).ConfigureAwait(false);

            // 1. Fresh local relays: the relay's own signature checks are the ceiling.
            await using LocalRelay relayOurs = await LocalRelay.StartAsync().ConfigureAwait(false);
            await using LocalRelay relayTheirs = await LocalRelay.StartAsync().ConfigureAwait(false);
            Console.Error.WriteLine($"pool: publishing {relayEvents} events to a fresh local relay (ours)...");
            PublishRun ourRelay = await PublishOursAsync(relayOurs.Url, ours).ConfigureAwait(false);
            Console.Error.WriteLine($"pool: publishing {relayEvents} events to a fresh local relay (nostr-tools)...");
            PeerRun theirRelay = await RunPeerAsync(["publish", relayTheirs.Url.ToString(), theirsFile]).ConfigureAwait(false);

            // The relay is the ceiling and the machine may be shared: a second round in the opposite
            // order, on fresh relays again, and the best of each side, so order and noise cancel out.
            await using (LocalRelay again = await LocalRelay.StartAsync().ConfigureAwait(false))
            {
                Console.Error.WriteLine($"pool: round 2: publishing {relayEvents} events to a fresh local relay (nostr-tools)...");
                PeerRun second = await RunPeerAsync(["publish", again.Url.ToString(), theirsFile]).ConfigureAwait(false);
                theirRelay = second.Rate > theirRelay.Rate ? second : theirRelay;
            }

            await using (LocalRelay again = await LocalRelay.StartAsync().ConfigureAwait(false))
            {
                Console.Error.WriteLine($"pool: round 2: publishing {relayEvents} events to a fresh local relay (ours)...");
                PublishRun second = await PublishOursAsync(again.Url, ours).ConfigureAwait(false);
                ourRelay = second.Rate > ourRelay.Rate ? second : ourRelay;
            }

            // 2. ACK-only double: the client is the only limit.
            await using AckOnlyRelay ackRelay = await AckOnlyRelay.StartAsync().ConfigureAwait(false);
            Console.Error.WriteLine($"pool: publishing {ackEvents} events to the ACK-only relay (ours)...");
            PublishRun ourAck = await PublishOursAsync(ackRelay.Url, ack).ConfigureAwait(false);
            Console.Error.WriteLine($"pool: publishing {ackEvents} events to the ACK-only relay (nostr-tools)...");
            PeerRun theirAck = await RunPeerAsync(["publish", ackRelay.Url.ToString(), ackFile]).ConfigureAwait(false);

            // 3. Query back and verify, both from the relay holding our events.
            Console.Error.WriteLine($"pool: querying {queryEvents} events back ({QueryRuns} runs each)...");
            (double ourQueryRate, int ourQueryCount) = await QueryOursAsync(relayOurs.Url, key.PublicKey.Hex, queryEvents).ConfigureAwait(false);
            PeerRun theirQuery = default!;
            double theirQueryRate = 0;
            for (int r = 0; r < QueryRuns; r++)
            {
                PeerRun run = await RunPeerAsync(["query", relayOurs.Url.ToString(), key.PublicKey.Hex, queryEvents.ToString(CultureInfo.InvariantCulture)]).ConfigureAwait(false);
                if (run.Rate > theirQueryRate)
                {
                    theirQueryRate = run.Rate;
                    theirQuery = run;
                }
            }

            Console.WriteLine(Table(relayEvents, ackEvents, queryEvents, ourRelay, theirRelay, ourAck, theirAck, ourQueryRate, ourQueryCount, theirQuery));
            bool ok = ourRelay.Accepted == relayEvents && ourAck.Accepted == ackEvents && ourQueryCount == queryEvents
                && ourRelay.Rate >= 0.95 * theirRelay.Rate && ourAck.Rate >= theirAck.Rate && ourAck.Rate >= 10_000
                && ourQueryRate > theirQuery.Rate;
            return ok ? 0 : 1;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static NostrEvent[] Sign(SecretKey key, int count, long start, string label)
    {
        var events = new NostrEvent[count];
        Parallel.For(0, count, i =>
        {
            string content = $"{{\"type\":\"agent\",\"content\":\"bench {label} step {i}: the quick brown fox jumps over the lazy dog\"}}";
            Tag[] tags = [new Tag("d", $"bench-{label}:{i}"), new Tag("seq", i.ToString(CultureInfo.InvariantCulture))];
            events[i] = EventSigner.Sign(new UnsignedEvent(start + i, 1, tags, content), key);
        });
        return events;
    }

    private static RelayPoolOptions Options(Uri relay)
    {
        var options = new RelayPoolOptions
        {
            Connection = new RelayConnectionOptions
            {
                FetchRelayInformation = false,
                PublishTimeout = TimeSpan.FromMinutes(5),
                MaxPublishesInFlight = 2048,
                QueryTimeout = TimeSpan.FromMinutes(5),
                PageSize = 1000,
            },
        };
        options.Relays.Add(new RelayEndpoint(relay));
        return options;
    }

    private static async Task<PublishRun> PublishOursAsync(Uri relay, NostrEvent[] events)
    {
        await using var pool = new RelayPool(Options(relay));
        if (await pool.ConnectAsync(CancellationToken.None).ConfigureAwait(false) != 1)
        {
            throw new InvalidOperationException($"could not connect to {relay}: {pool.Relays[0].LastError}");
        }

        // A bounded window of events in flight keeps memory flat however many events there are.
        using var window = new SemaphoreSlim(2048);
        using var sampler = new MemorySampler();
        int accepted = 0;
        string? firstFailure = null;
        var stopwatch = Stopwatch.StartNew();
        var tasks = new List<Task>(events.Length);
        foreach (NostrEvent e in events)
        {
            await window.WaitAsync().ConfigureAwait(false);
            tasks.Add(PublishOneAsync(e));
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        stopwatch.Stop();
        return new PublishRun(events.Length, accepted, stopwatch.Elapsed.TotalSeconds, events.Length / stopwatch.Elapsed.TotalSeconds, sampler.StartMb, sampler.PeakMb, sampler.HeapStartMb, sampler.HeapPeakMb, firstFailure);

        async Task PublishOneAsync(NostrEvent e)
        {
            try
            {
                PublishResult r = await pool.PublishAsync(e, CancellationToken.None).ConfigureAwait(false);
                if (r.QuorumReached)
                {
                    Interlocked.Increment(ref accepted);
                }
                else
                {
                    Interlocked.CompareExchange(ref firstFailure, r.Relays[0].Outcome.Describe(), null);
                }
            }
            finally
            {
                window.Release();
            }
        }
    }

    private static async Task<(double Rate, int Count)> QueryOursAsync(Uri relay, string author, int limit)
    {
        await using var pool = new RelayPool(Options(relay));
        await pool.ConnectAsync(CancellationToken.None).ConfigureAwait(false);
        Filter filter = new() { Authors = [author], Limit = limit };
        double best = 0;
        int count = 0;
        for (int r = 0; r < QueryRuns; r++)
        {
            var stopwatch = Stopwatch.StartNew();
            QueryResult result = await pool.QueryAsync([filter], CancellationToken.None).ConfigureAwait(false);
            stopwatch.Stop();
            count = result.Events.Count;
            best = Math.Max(best, count / stopwatch.Elapsed.TotalSeconds);
        }

        return (best, count);
    }

    private static async Task<string> WriteLinesAsync(string dir, string name, NostrEvent[] events)
    {
        string file = Path.Combine(dir, name);
        await using var writer = new StreamWriter(file, append: false, new UTF8Encoding(false));
        foreach (NostrEvent e in events)
        {
            await writer.WriteLineAsync(CanonicalJson.Serialize(e)).ConfigureAwait(false);
        }

        return file;
    }

    private static async Task<PeerRun> RunPeerAsync(string[] arguments)
    {
        string output = await NodePeer.RunAsync("bench-pool.mjs", arguments, timeout: TimeSpan.FromMinutes(10)).ConfigureAwait(false);
        string last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        using JsonDocument doc = JsonDocument.Parse(last);
        JsonElement r = doc.RootElement;
        return new PeerRun(
            r.GetProperty("count").GetInt32(),
            r.TryGetProperty("accepted", out JsonElement a) ? a.GetInt32() : r.GetProperty("count").GetInt32(),
            r.GetProperty("seconds").GetDouble(),
            r.GetProperty("rate").GetDouble(),
            r.GetProperty("rssStartMb").GetDouble(),
            r.GetProperty("rssPeakMb").GetDouble());
    }

    private static string Table(
        int relayEvents, int ackEvents, int queryEvents,
        PublishRun ourRelay, PeerRun theirRelay, PublishRun ourAck, PeerRun theirAck,
        double ourQueryRate, int ourQueryCount, PeerRun theirQuery)
    {
        static string N(double v) => v.ToString("N0", CultureInfo.InvariantCulture);
        static string F(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"### bench pool ({DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores)");
        sb.AppendLine();
        sb.AppendLine("| measurement | ours (SovereignTrajectories.Relays) | nostr-tools 2.25.2 | ratio ours/theirs | target |");
        sb.AppendLine("|---|---|---|---|---|");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| publish {relayEvents:N0} pre-signed events to a fresh local relay, pipelined, best of 2 alternating rounds (events/s) | {N(ourRelay.Rate)} ({ourRelay.Accepted:N0} OK) | {N(theirRelay.Rate)} ({theirRelay.Accepted:N0} OK) | {F(ourRelay.Rate / theirRelay.Rate)} | >= 0.95 |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| publish {ackEvents:N0} events to the ACK-only relay, one connection (events/s) | {N(ourAck.Rate)} ({ourAck.Accepted:N0} OK) | {N(theirAck.Rate)} ({theirAck.Accepted:N0} OK) | {F(ourAck.Rate / theirAck.Rate)} | >= 1 and >= 10,000/s |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| memory during the ACK-only run: RSS start -> peak (MB) | {F(ourAck.RssStartMb)} -> {F(ourAck.RssPeakMb)} (managed heap {F(ourAck.HeapStartMb)} -> {F(ourAck.HeapPeakMb)}) | {F(theirAck.RssStartMb)} -> {F(theirAck.RssPeakMb)} | | flat |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| query back and verify {queryEvents:N0} events, best of {QueryRuns} (events/s) | {N(ourQueryRate)} ({ourQueryCount:N0} events) | {N(theirQuery.Rate)} ({theirQuery.Count:N0} events, nostr-wasm verify) | {F(ourQueryRate / theirQuery.Rate)} | > 1 |");
        if ((ourRelay.FirstFailure ?? ourAck.FirstFailure) is { } failure)
        {
            sb.AppendLine();
            sb.AppendLine(CultureInfo.InvariantCulture, $"First publish failure (ours): {failure}");
        }

        sb.AppendLine();
        sb.AppendLine("Ours keeps at most 2,048 events in flight (bounded memory); nostr-tools has all of them in flight at once. Both sides verify every queried event (ours: libsecp256k1 via P/Invoke; nostr-tools: nostr-wasm).");
        return sb.ToString();
    }

    private sealed record PublishRun(int Count, int Accepted, double Seconds, double Rate, double RssStartMb, double RssPeakMb, double HeapStartMb, double HeapPeakMb, string? FirstFailure);

    private sealed record PeerRun(int Count, int Accepted, double Seconds, double Rate, double RssStartMb, double RssPeakMb);

    /// <summary>Samples RSS and the managed heap every 50 ms until disposed.</summary>
    private sealed class MemorySampler : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private double _peak;
        private double _heapPeak;

        public MemorySampler()
        {
            StartMb = Rss();
            HeapStartMb = Heap();
            _peak = StartMb;
            _heapPeak = HeapStartMb;
            _loop = Task.Run(async () =>
            {
                using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
                try
                {
                    while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
                    {
                        _peak = Math.Max(_peak, Rss());
                        _heapPeak = Math.Max(_heapPeak, Heap());
                    }
                }
                catch (OperationCanceledException)
                {
                }
            });
        }

        public double StartMb { get; }

        public double HeapStartMb { get; }

        public double PeakMb => Math.Max(_peak, Rss());

        public double HeapPeakMb => Math.Max(_heapPeak, Heap());

        public void Dispose()
        {
            _stop.Cancel();
            _loop.GetAwaiter().GetResult();
            _stop.Dispose();
        }

        private static double Rss()
        {
            using Process p = Process.GetCurrentProcess();
            return p.WorkingSet64 / (1024.0 * 1024.0);
        }

        private static double Heap() => GC.GetTotalMemory(false) / (1024.0 * 1024.0);
    }
}
