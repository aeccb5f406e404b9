using System.Runtime.CompilerServices;

namespace SovereignTrajectories.Worker.Tests.EndToEnd;

/// <summary>
/// One temporary folder per test process holding every worker data directory the tests make
/// (<see cref="TestWorker.NewDataDirectory"/>), removed when the process exits: tests that hand a
/// directory to a worker process they kill cannot always clean up after themselves.
/// </summary>
internal static class TestDataRoot
{
    public static string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"sovtraj-worker-tests-{Environment.ProcessId}");

    [ModuleInitializer]
    internal static void RemoveAtExit()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Best effort: a leftover temp folder does not affect other runs.
            }
        };
    }
}
