using System.Runtime.CompilerServices;

namespace SovereignTrajectories.Nostr.Tests.Nip19;

/// <summary>
/// Reads the vendored vector files beside this source file. The source path is used rather than
/// the output folder because builds go to per-person artifacts paths outside the tree.
/// </summary>
internal static class Nip19Vectors
{
    public static IEnumerable<string[]> Rows(string fileName, [CallerFilePath] string callerPath = "")
    {
        string path = Path.Combine(Path.GetDirectoryName(callerPath)!, "Vectors", fileName);
        foreach (string line in File.ReadLines(path))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            yield return line.Split('\t');
        }
    }
}
