using System.Runtime.CompilerServices;

namespace SovereignTrajectories.Testing;

/// <summary>
/// Locates the repository from a test's working directory (tests run from deep inside an
/// artifacts folder, which may even be outside the repository), so fixtures can find the local
/// relay, the Node peers and sample data.
/// </summary>
public static class RepoPaths
{
    private const string SolutionFileName = "SovereignTrajectories.sln";
    private const string RootOverrideVariable = "SOVTRAJ_REPO_ROOT";

    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The folder holding <c>SovereignTrajectories.sln</c>.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary><c>src/local-relay</c>: the Node relay (<c>relay.mjs</c>).</summary>
    public static string LocalRelayDir => Path.Combine(Root, "src", "local-relay");

    /// <summary><c>tests/peers</c>: Node scripts over nostr-tools, nostr-wasm and rust-nostr.</summary>
    public static string PeersDir => Path.Combine(Root, "tests", "peers");

    /// <summary><c>samples</c>: sample agent runs and data.</summary>
    public static string SamplesDir => Path.Combine(Root, "samples");

    /// <summary><c>docs</c>.</summary>
    public static string DocsDir => Path.Combine(Root, "docs");

    /// <summary><c>src</c>.</summary>
    public static string SrcDir => Path.Combine(Root, "src");

    /// <summary><c>tests</c>.</summary>
    public static string TestsDir => Path.Combine(Root, "tests");

    /// <summary>A path under the repository root from its segments.</summary>
    public static string Combine(params string[] segments) => Path.Combine([Root, .. segments]);

    private static string SourceDirectory([CallerFilePath] string path = "") =>
        Path.GetDirectoryName(path) ?? string.Empty;

    private static string FindRoot()
    {
        string? overridden = Environment.GetEnvironmentVariable(RootOverrideVariable);
        if (!string.IsNullOrEmpty(overridden))
        {
            if (!File.Exists(Path.Combine(overridden, SolutionFileName)))
            {
                throw new DirectoryNotFoundException(
                    $"{RootOverrideVariable}={overridden} does not contain {SolutionFileName}");
            }

            return Path.GetFullPath(overridden);
        }

        // Builds with --artifacts-path put the test assembly outside the repository, so the
        // compile-time path of this source file comes first; the others cover a moved checkout.
        foreach (string start in new[] { SourceDirectory(), AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            if (string.IsNullOrEmpty(start))
            {
                continue;
            }

            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, SolutionFileName)))
                {
                    return dir.FullName;
                }
            }
        }

        throw new DirectoryNotFoundException(
            $"no {SolutionFileName} found above {AppContext.BaseDirectory} or {Directory.GetCurrentDirectory()}; " +
            $"run the tests from inside the repository or set {RootOverrideVariable}");
    }
}
