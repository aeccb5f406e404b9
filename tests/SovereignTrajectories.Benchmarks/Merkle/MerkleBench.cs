using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using SovereignTrajectories.Trajectories.Commitments;
using SovereignTrajectories.Trajectories.Redaction;

namespace SovereignTrajectories.Benchmarks.Merkle;

/// <summary>
/// <c>bench merkle [--leaves N] [--proofs P]</c>: RFC 6962 root over N leaves (32-byte event ids) plus P inclusion
/// proofs generated and verified (target: N = 100,000 and P = 1,000 in under 1 s), consistency proofs, and the
/// redactor's throughput over a generated, realistic tool-output corpus. Prints one Markdown table.
/// </summary>
internal static class MerkleBench
{
    private const int Runs = 5;

    private static string SlowestRules { get; set; } = string.Empty;

    public static Task<int> RunAsync(string[] args)
    {
        int leafCount = 100_000;
        int proofCount = 1_000;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] is "--leaves" or "--proofs" && i + 1 < args.Length
                && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out int n) && n > 0)
            {
                if (args[i] == "--leaves")
                {
                    leafCount = n;
                }
                else
                {
                    proofCount = n;
                }

                i++;
            }
            else
            {
                Console.Error.WriteLine($"merkle: unknown or malformed argument '{args[i]}'; usage: merkle [--leaves N] [--proofs P]");
                return Task.FromResult(2);
            }
        }

        byte[][] leaves = new byte[leafCount][];
        for (int i = 0; i < leafCount; i++)
        {
            leaves[i] = SHA256.HashData(BitConverter.GetBytes(i));
        }

        Random random = new(7);
        int[] indexes = Enumerable.Range(0, proofCount).Select(_ => random.Next(leafCount)).ToArray();
        int[] oldSizes = Enumerable.Range(0, proofCount).Select(_ => random.Next(1, leafCount + 1)).ToArray();

        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        TimeSpan bestBuild = TimeSpan.MaxValue;
        TimeSpan bestInclusion = TimeSpan.MaxValue;
        TimeSpan bestTotal = TimeSpan.MaxValue;
        TimeSpan bestConsistency = TimeSpan.MaxValue;
        int failures = 0;
        int proofNodes = 0;
        for (int run = 0; run < Runs; run++)
        {
            Stopwatch total = Stopwatch.StartNew();
            MerkleTree tree = new(leaves);
            byte[] root = tree.Root;
            TimeSpan build = total.Elapsed;
            proofNodes = 0;
            foreach (int index in indexes)
            {
                IReadOnlyList<byte[]> proof = tree.InclusionProof(index);
                proofNodes += proof.Count;
                if (!MerkleProof.VerifyInclusion(index, leafCount, MerkleTree.HashLeaf(leaves[index]), proof, root))
                {
                    failures++;
                }
            }

            total.Stop();
            bestBuild = Min(bestBuild, build);
            bestInclusion = Min(bestInclusion, total.Elapsed - build);
            bestTotal = Min(bestTotal, total.Elapsed);

            Stopwatch consistency = Stopwatch.StartNew();
            foreach (int oldSize in oldSizes)
            {
                if (!MerkleProof.VerifyConsistency(oldSize, leafCount, tree.RootAt(oldSize), root, tree.ConsistencyProof(oldSize)))
                {
                    failures++;
                }
            }

            bestConsistency = Min(bestConsistency, consistency.Elapsed);
        }

        long allocatedPerRun = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / Runs;

        (double textMbps, double jsonMbps, double corpusMb, int findings) = MeasureRedaction();
        long peak = Process.GetCurrentProcess().PeakWorkingSet64;

        Console.WriteLine($"### merkle ({leafCount:N0} leaves, {proofCount:N0} proofs, best of {Runs}; {Environment.ProcessorCount} cores, .NET {Environment.Version})");
        Console.WriteLine();
        Console.WriteLine("| measure | value | target |");
        Console.WriteLine("|---|---|---|");
        Console.WriteLine($"| root over {leafCount:N0} leaves | {bestBuild.TotalMilliseconds:F1} ms | |");
        Console.WriteLine($"| {proofCount:N0} inclusion proofs generated + verified | {bestInclusion.TotalMilliseconds:F1} ms ({proofNodes / (double)proofCount:F1} hashes each) | |");
        Console.WriteLine($"| **root + {proofCount:N0} inclusion proofs** | **{bestTotal.TotalMilliseconds:F1} ms** | < 1000 ms {(bestTotal.TotalMilliseconds < 1000 ? "(met)" : "(MISSED)")} |");
        Console.WriteLine($"| {proofCount:N0} consistency proofs (old root + proof + verify) | {bestConsistency.TotalMilliseconds:F1} ms | |");
        Console.WriteLine($"| managed allocation per run | {allocatedPerRun / 1048576.0:F1} MiB | |");
        Console.WriteLine($"| process peak working set (incl. redaction corpus) | {peak / 1048576.0:F0} MiB | |");
        Console.WriteLine($"| redaction, tool-output text ({corpusMb:F1} MB, {findings} secrets) | {textMbps:F1} MB/s | |");
        Console.WriteLine($"| slowest rules alone (no literal prefilter) | {SlowestRules} | |");
        Console.WriteLine($"| redaction, JSON step inputs (RedactJson) | {jsonMbps:F1} MB/s | |");
        Console.WriteLine($"| verification failures | {failures} | 0 |");
        return Task.FromResult(failures == 0 ? 0 : 1);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static (double TextMbps, double JsonMbps, double CorpusMb, int Findings) MeasureRedaction()
    {
        string[] outputs = ToolOutputCorpus.Build(new Random(11), targetBytes: 8 * 1024 * 1024);
        JsonNode[] inputs = ToolOutputCorpus.BuildInputs(new Random(12), count: 5_000);
        long textBytes = outputs.Sum(o => (long)Encoding.UTF8.GetByteCount(o));
        long jsonBytes = inputs.Sum(n => (long)Encoding.UTF8.GetByteCount(n.ToJsonString()));
        Redactor redactor = new();
        double bestText = double.MaxValue;
        double bestJson = double.MaxValue;
        int findings = 0;
        for (int run = 0; run < 3; run++)
        {
            findings = 0;
            Stopwatch watch = Stopwatch.StartNew();
            for (int i = 0; i < outputs.Length; i++)
            {
                findings += redactor.RedactText(outputs[i], "bench").Findings.Count;
            }

            bestText = Math.Min(bestText, watch.Elapsed.TotalSeconds);
            RedactionReport report = new();
            watch.Restart();
            foreach (JsonNode input in inputs)
            {
                redactor.RedactJson(input, "bench", report);
            }

            bestJson = Math.Min(bestJson, watch.Elapsed.TotalSeconds);
        }

        // Where the time goes: each rule alone over the same corpus, slowest three.
        List<(string Rule, double Seconds)> perRule = [];
        foreach (SecretRule rule in SecretPatterns.BuiltIn)
        {
            Stopwatch watch = Stopwatch.StartNew();
            foreach (string output in outputs)
            {
                for (System.Text.RegularExpressions.Match m = rule.Pattern.Match(output); m.Success; m = m.NextMatch())
                {
                }
            }

            perRule.Add((rule.Name, watch.Elapsed.TotalSeconds));
        }

        SlowestRules = string.Join(", ", perRule.OrderByDescending(r => r.Seconds).Take(3).Select(r => $"{r.Rule} {textBytes / 1e6 / r.Seconds:F0} MB/s"));
        return (textBytes / 1e6 / bestText, jsonBytes / 1e6 / bestJson, textBytes / 1e6, findings);
    }
}
