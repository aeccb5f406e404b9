namespace SovereignTrajectories.Trajectories.Ingest;

/// <summary>Passed/failed/skipped counts read from a test runner's output; <see cref="Found"/> is false when the output shows none.</summary>
public readonly record struct TestCounts(int Passed, int Failed, int Skipped, bool Found)
{
    public static TestCounts None => default;
}
