using System.Diagnostics;
using SovereignTrajectories.Testing;

namespace SovereignTrajectories.Worker.Tests.EndToEnd;

/// <summary>Finds and starts the real <c>sovtraj</c> as a child process (so a test can kill -9 it).</summary>
internal static class SovtrajCli
{
    /// <summary>Overrides where the built CLI is looked for.</summary>
    public const string DllVariable = "SOVTRAJ_CLI_DLL";

    public static string FindDll()
    {
        string? overridden = Environment.GetEnvironmentVariable(DllVariable);
        string[] candidates =
        [
            overridden ?? string.Empty,
            Path.Combine(AppContext.BaseDirectory, "sovtraj.dll"),
            Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "SovereignTrajectories.Cli", "debug", "sovtraj.dll")),
            Path.Combine(RepoPaths.SrcDir, "SovereignTrajectories.Cli", "bin", "Debug", "net10.0", "sovtraj.dll"),
        ];
        return candidates.FirstOrDefault(p => p.Length > 0 && File.Exists(p))
            ?? throw new FileNotFoundException(
                $"the sovtraj CLI is not built (looked in: {string.Join(", ", candidates.Where(c => c.Length > 0))}); build src/SovereignTrajectories.Cli or set {DllVariable}");
    }

    public static Process Start(IEnumerable<string> args, string workingDirectory)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(FindDll());
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment.Remove("SOVTRAJ_SECRET_KEY");
        return Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
    }
}
