using System.Runtime.CompilerServices;

namespace SovereignTrajectories.Trajectories.Tests.Commitments;

/// <summary>Finds the vendored data folder: next to the test binary when copied to output, else beside this source file.</summary>
internal static class CommitmentsTestData
{
    public static string Directory(string relative) => Locate(relative);

    private static string Locate(string relative, [CallerFilePath] string sourceFile = "")
    {
        string copied = Path.Combine(AppContext.BaseDirectory, "Commitments", "Data", relative);
        if (System.IO.Directory.Exists(copied) || File.Exists(copied))
        {
            return copied;
        }

        string beside = Path.Combine(Path.GetDirectoryName(sourceFile)!, "Data", relative);
        if (System.IO.Directory.Exists(beside) || File.Exists(beside))
        {
            return beside;
        }

        throw new DirectoryNotFoundException($"test data '{relative}' not found at '{copied}' or '{beside}'");
    }
}
