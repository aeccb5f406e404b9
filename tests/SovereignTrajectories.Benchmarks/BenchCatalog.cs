namespace SovereignTrajectories.Benchmarks;

/// <summary>Named benchmarks; each prints a Markdown table ready for docs/benchmarks.md. One line per bench.</summary>
internal static class BenchCatalog
{
    private static readonly IReadOnlyDictionary<string, Func<string[], Task<int>>> Benches =
        new Dictionary<string, Func<string[], Task<int>>>(StringComparer.Ordinal)
        {
            ["ingest"] = Ingest.IngestBench.RunAsync,
            ["crypto"] = Crypto.CryptoBench.RunAsync,
            ["merkle"] = Merkle.MerkleBench.RunAsync,
            ["mapping"] = Mapping.MappingBench.RunAsync,
            ["pool"] = Pool.PoolBench.RunAsync,
            ["verify"] = Verify.VerifyBench.RunAsync,
            ["worker"] = Worker.WorkerBench.RunAsync,
        };

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || !Benches.TryGetValue(args[0], out Func<string[], Task<int>>? bench))
        {
            Console.Error.WriteLine("usage: bench <name> [options]; names: " + string.Join(", ", Benches.Keys.Order()));
            return 2;
        }

        return await bench(args[1..]).ConfigureAwait(false);
    }
}
