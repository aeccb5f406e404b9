using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SovereignTrajectories.Nostr.Crypto;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Testing;
using TagList = SovereignTrajectories.Nostr.Events.TagList;

namespace SovereignTrajectories.Benchmarks.Crypto;

/// <summary>
/// <c>bench crypto [--events N]</c>: NIP-01 id computation, signing and verification on N generated
/// ~500-byte events, on one core and on all cores, beside the raw libsecp256k1 calls on the same
/// messages (the ceiling) and nostr-tools / nostr-wasm on the same events (tests/peers/bench-crypto.mjs).
/// Prints one Markdown table with the rates and the ratios the project targets.
/// </summary>
internal static class CryptoBench
{
    private const int TargetEventBytes = 500;
    private const int Runs = 5;
    private const int Chunk = 1000;

    public static async Task<int> RunAsync(string[] args)
    {
        int count = 10_000;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--events" && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out int n) && n > 0)
            {
                count = n;
                i++;
            }
            else
            {
                Console.Error.WriteLine($"crypto: unknown or malformed argument '{args[i]}'; usage: crypto [--events N]");
                return 2;
            }
        }

        using SecretKey key = SecretKey.Generate();
        UnsignedEvent[] templates = MakeTemplates(count, key.PublicKey.Hex);
        NostrEvent[] events = templates.Select(t => EventSigner.Sign(t, key)).ToArray();
        double averageBytes = events.Average(CanonicalJson.Utf8Length);

        // The raw rows work on bytes prepared up front: exactly what libsecp256k1 sees per event.
        byte[] ids = new byte[32 * count];
        byte[] sigs = new byte[64 * count];
        byte[] aux = new byte[32 * count];
        byte[] rawOut = new byte[64 * count];
        byte[] pub = key.PublicKey.ToBytes();
        for (int i = 0; i < count; i++)
        {
            Convert.FromHexString(events[i].Id).CopyTo(ids, 32 * i);
            Convert.FromHexString(events[i].Sig).CopyTo(sigs, 64 * i);
        }

        RandomNumberGenerator.Fill(aux);

        void Id(int i)
        {
            Span<byte> id = stackalloc byte[32];
            UnsignedEvent t = templates[i];
            EventId.Compute(events[i].PubKey, t.CreatedAt, t.Kind, t.Tags, t.Content, id);
        }

        void Sign(int i) => EventSigner.Sign(templates[i], key);

        void Verify(int i)
        {
            if (!EventVerifier.IsValid(events[i]))
            {
                throw new InvalidOperationException($"event {i} failed verification in the benchmark");
            }
        }

        void RawSign(int i) =>
            Secp256k1Raw.Sign32(key.KeypairSpan, ids.AsSpan(32 * i, 32), aux.AsSpan(32 * i, 32), rawOut.AsSpan(64 * i, 64));

        void RawVerify(int i)
        {
            if (!Secp256k1Raw.ParseAndVerify(sigs.AsSpan(64 * i, 64), ids.AsSpan(32 * i, 32), pub))
            {
                throw new InvalidOperationException($"raw verify of event {i} failed in the benchmark");
            }
        }

        Console.Error.WriteLine($"crypto: {count} events, {averageBytes:F0} bytes on average; measuring (warm-up pass, then best of {Runs} passes interleaved in chunks of {Chunk})...");
        var ops = new (string Name, Action<int> Op, bool Parallel)[]
        {
            ("id1", Id, false), ("idN", Id, true),
            ("sign1", Sign, false), ("signN", Sign, true),
            ("rawSign1", RawSign, false), ("rawSignN", RawSign, true),
            ("verify1", Verify, false), ("verifyN", Verify, true),
            ("rawVerify1", RawVerify, false), ("rawVerifyN", RawVerify, true),
        };
        Dictionary<string, double> rows = MeasureInterleaved(count, ops);

        PeerResult? peer = await RunPeerAsync(events).ConfigureAwait(false);
        Console.WriteLine(Table(rows, peer, count, averageBytes));
        return 0;
    }

    private static UnsignedEvent[] MakeTemplates(int count, string pubKeyHex)
    {
        var random = new Random(42);
        string[] words = ["read_file", "src/Program.cs", "ok", "exit=0", "tokens", "naïve", "→", "😀", "\"quoted\"", "line\nbreak", "tab\there", "<tool>", "grep", "42", "path/to/file.txt"];
        var templates = new UnsignedEvent[count];
        for (int i = 0; i < count; i++)
        {
            var tags = new TagList([
                new Tag("d", $"session-{i / 100:D5}:{i % 100:D4}"),
                new Tag("e", Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(i))), "", "root"),
                new Tag("t", "tool_call"),
            ]);
            var probe = new NostrEvent(new string('0', 64), pubKeyHex, 1_700_000_000 + i, 39231, tags, string.Empty, new string('0', 128));
            int budget = TargetEventBytes - CanonicalJson.Utf8Length(probe);
            var content = new StringBuilder($"step {i}: ");
            while (CanonicalJson.Utf8Length(probe with { Content = content.ToString() }) < TargetEventBytes - 8 && budget > 0)
            {
                content.Append(words[random.Next(words.Length)]).Append(' ');
            }

            templates[i] = new UnsignedEvent(1_700_000_000 + i, 39231, tags, content.ToString());
        }

        return templates;
    }

    /// <summary>
    /// Events per second per operation, best of <see cref="Runs"/> timed passes after a warm-up pass.
    /// Within a pass the operations take turns on chunks of <see cref="Chunk"/> events, so load from
    /// other processes on a shared machine hits ours and the raw ceiling alike and the ratios hold.
    /// </summary>
    private static Dictionary<string, double> MeasureInterleaved(int count, (string Name, Action<int> Op, bool Parallel)[] ops)
    {
        var best = ops.ToDictionary(o => o.Name, _ => 0.0, StringComparer.Ordinal);
        for (int run = -1; run < Runs; run++)
        {
            var elapsed = new double[ops.Length];
            for (int from = 0; from < count; from += Chunk)
            {
                int to = Math.Min(count, from + Chunk);
                for (int k = 0; k < ops.Length; k++)
                {
                    (_, Action<int> op, bool parallel) = ops[k];
                    long start = Stopwatch.GetTimestamp();
                    if (parallel)
                    {
                        Parallel.For(from, to, op);
                    }
                    else
                    {
                        for (int i = from; i < to; i++)
                        {
                            op(i);
                        }
                    }

                    elapsed[k] += Stopwatch.GetElapsedTime(start).TotalSeconds;
                }
            }

            if (run >= 0)
            {
                for (int k = 0; k < ops.Length; k++)
                {
                    best[ops[k].Name] = Math.Max(best[ops[k].Name], count / elapsed[k]);
                }
            }
        }

        return best;
    }

    private sealed record PeerResult(JsonElement Rates, string? Error);

    private static async Task<PeerResult?> RunPeerAsync(NostrEvent[] events)
    {
        string dir = Directory.CreateTempSubdirectory("sovtraj-bench-crypto-").FullName;
        string file = Path.Combine(dir, "events.jsonl");
        try
        {
            await using (var writer = new StreamWriter(file, append: false, new UTF8Encoding(false)))
            {
                foreach (NostrEvent e in events)
                {
                    await writer.WriteLineAsync(CanonicalJson.Serialize(e)).ConfigureAwait(false);
                }
            }

            string script = Path.Combine(RepoPaths.PeersDir, "bench-crypto.mjs");
            var start = new ProcessStartInfo("node")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = RepoPaths.PeersDir,
            };
            start.ArgumentList.Add(script);
            start.ArgumentList.Add(file);
            Console.Error.WriteLine("crypto: running node tests/peers/bench-crypto.mjs on the same events...");
            using Process process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().ConfigureAwait(false);
            string output = await stdout.ConfigureAwait(false);
            string errors = await stderr.ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                return new PeerResult(default, $"node exited with {process.ExitCode}: {errors.Trim()}");
            }

            string last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
            return new PeerResult(JsonDocument.Parse(last).RootElement.Clone(), null);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return new PeerResult(default, $"node could not be started ({ex.Message}); install Node 20 and run npm ci in tests/peers");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string Table(Dictionary<string, double> r, PeerResult? peer, int count, double averageBytes)
    {
        int cores = Environment.ProcessorCount;
        bool hasPeer = peer is { Error: null };
        double P(string name) => hasPeer ? peer!.Rates.GetProperty(name).GetDouble() : double.NaN;

        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"### crypto: {count:N0} events of {averageBytes:F0} bytes on average (NIP-01 JSON), {cores} cores, best of {Runs} passes interleaved in chunks of {Chunk:N0}");
        sb.AppendLine();
        sb.AppendLine("| row | events/s | ratio | target | met |");
        sb.AppendLine("|---|---:|---:|---|---|");

        void Row(string label, double rate, string ratio = "", string target = "", bool? met = null) =>
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {label} | {Rate(rate)} | {ratio} | {target} | {(met is null ? "" : met.Value ? "yes" : "**no**")} |");

        Row("id: `EventId.Compute`, 1 core", r["id1"], "", "≥ 200,000/s per core", r["id1"] >= 200_000);
        Row($"id: `EventId.Compute`, {cores} cores", r["idN"], $"{r["idN"] / cores:N0}/s per core", "≥ 200,000/s per core", r["idN"] / cores >= 200_000);
        Row("id: nostr-tools `getEventHash` (node, 1 core)", P("hash"), hasPeer ? $"ours ×{r["id1"] / P("hash"):F1}" : "");
        Row("sign: `EventSigner.Sign`, 1 core", r["sign1"], $"{100 * r["sign1"] / r["rawSign1"]:F0}% of raw", "≥ 85% of raw", r["sign1"] >= 0.85 * r["rawSign1"]);
        Row($"sign: `EventSigner.Sign`, {cores} cores", r["signN"], $"{100 * r["signN"] / r["rawSignN"]:F0}% of raw", "≥ 85% of raw", r["signN"] >= 0.85 * r["rawSignN"]);
        Row("sign: raw `secp256k1_schnorrsig_sign32`, 1 core", r["rawSign1"]);
        Row($"sign: raw `secp256k1_schnorrsig_sign32`, {cores} cores", r["rawSignN"]);
        Row("sign: nostr-wasm `finalizeEvent` (node, 1 core)", P("wasmSign"), hasPeer ? $"ours 1 core ×{r["sign1"] / P("wasmSign"):F1}" : "", "ours ≥ 4× nostr-wasm", hasPeer ? r["sign1"] >= 4 * P("wasmSign") : null);
        Row(hasPeer ? $"sign: nostr-tools pure `finalizeEvent` (node, 1 core, first {peer!.Rates.GetProperty("pureSample").GetInt32():N0} events)" : "sign: nostr-tools pure `finalizeEvent`", P("pureSign"), hasPeer ? $"ours 1 core ×{r["sign1"] / P("pureSign"):F0}" : "");
        Row("verify: `EventVerifier.Verify`, 1 core", r["verify1"], $"{100 * r["verify1"] / r["rawVerify1"]:F0}% of raw", "≥ 85% of raw", r["verify1"] >= 0.85 * r["rawVerify1"]);
        Row($"verify: `EventVerifier.Verify`, {cores} cores", r["verifyN"], $"{100 * r["verifyN"] / r["rawVerifyN"]:F0}% of raw", "≥ 85% of raw", r["verifyN"] >= 0.85 * r["rawVerifyN"]);
        Row("verify: raw `xonly_pubkey_parse` + `schnorrsig_verify`, 1 core", r["rawVerify1"]);
        Row($"verify: raw `xonly_pubkey_parse` + `schnorrsig_verify`, {cores} cores", r["rawVerifyN"]);
        Row("verify: nostr-wasm `verifyEvent` (node, 1 core)", P("wasmVerify"), hasPeer ? $"ours 1 core ×{r["verify1"] / P("wasmVerify"):F1}" : "", "ours ≥ 4× nostr-wasm", hasPeer ? r["verify1"] >= 4 * P("wasmVerify") : null);
        Row(hasPeer ? $"verify: nostr-tools pure `verifyEvent` (node, 1 core, first {peer!.Rates.GetProperty("pureSample").GetInt32():N0} events)" : "verify: nostr-tools pure `verifyEvent`", P("pureVerify"), hasPeer ? $"ours 1 core ×{r["verify1"] / P("pureVerify"):F0}" : "");
        sb.AppendLine();
        if (hasPeer)
        {
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"Cross-check on the same events: nostr-tools `getEventHash` reproduced {peer!.Rates.GetProperty("idsMatching").GetInt32():N0}/{count:N0} of our ids and nostr-wasm accepted {peer.Rates.GetProperty("wasmAccepted").GetInt32():N0}/{count:N0} of our signatures. Raw rows call libsecp256k1 directly on bytes prepared beforehand (no JSON, no SHA-256, no hex); ours include serialisation, SHA-256, hex and, for signing, 32 fresh random bytes per signature.");
        }
        else
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"Peer rows missing: {peer?.Error ?? "the peer did not run"}.");
        }

        return sb.ToString();
    }

    private static string Rate(double rate) => double.IsNaN(rate) ? "n/a" : rate.ToString("N0", CultureInfo.InvariantCulture);
}
