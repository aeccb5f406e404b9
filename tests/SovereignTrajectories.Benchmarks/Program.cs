using SovereignTrajectories.Benchmarks;

return await BenchCatalog.RunAsync(args);
