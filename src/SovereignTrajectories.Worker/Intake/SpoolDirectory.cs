using System.Globalization;
using System.Text;

namespace SovereignTrajectories.Worker.Intake;

/// <summary>
/// A drop directory's layout: <c>inbox/</c> where files land, <c>archive/</c> for files whose
/// content is safely stored, <c>failed/</c> for files that cannot be read, each with a
/// <c>.error.txt</c> beside it, written before the file moves. Moves never overwrite: a name already
/// taken gets a number prefix.
/// </summary>
public sealed class SpoolDirectory
{
    /// <summary>Suffix of the reason file written beside a failed file.</summary>
    public const string ErrorSuffix = ".error.txt";

    private const string TempSuffix = ".tmp";

    // Failing files are named and moved one at a time: two files failing at once must not pick one name.
    private readonly Lock _failing = new();

    public SpoolDirectory(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
        Inbox = Path.Combine(Root, "inbox");
        Archive = Path.Combine(Root, "archive");
        Failed = Path.Combine(Root, "failed");
    }

    public string Root { get; }

    public string Inbox { get; }

    public string Archive { get; }

    public string Failed { get; }

    /// <summary>Creates the three folders when missing, and clears reason files a killed worker left half written.</summary>
    public void EnsureCreated()
    {
        Directory.CreateDirectory(Inbox);
        Directory.CreateDirectory(Archive);
        Directory.CreateDirectory(Failed);
        foreach (string temp in Directory.EnumerateFiles(Root, $".*{ErrorSuffix}{TempSuffix}"))
        {
            File.Delete(temp);
        }
    }

    /// <summary>Moves an inbox file to <c>archive/</c>; returns its new path.</summary>
    public string MoveToArchive(string path) => MoveInto(path, Archive);

    /// <summary>Moves an inbox file to <c>failed/</c> with <paramref name="reason"/> beside it; returns its new path.</summary>
    public string MoveToFailed(string path, string reason, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(reason);
        string name = Path.GetFileName(path);
        string text = new StringBuilder()
            .Append("file: ").Append(name).Append('\n')
            .Append("failed at: ").Append(at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append('\n')
            .Append("reason: ").Append(reason).Append('\n')
            .ToString();

        // The reason goes down whole before the file moves: killed at any point, the worker leaves the file
        // either still in the inbox, to be read again, or in failed/ with its full reason beside it. A reason
        // found without its file is what a kill between the two leaves, so that name is still the file's own.
        lock (_failing)
        {
            return MoveInto(path, Failed, target => WriteWhole(target + ErrorSuffix, text));
        }
    }

    /// <summary>Writes <paramref name="destination"/> through a temporary file and a rename, so it is never seen half written.</summary>
    private void WriteWhole(string destination, string text)
    {
        string temp = Path.Combine(Root, "." + Path.GetFileName(destination) + TempSuffix);
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(new UTF8Encoding(false).GetBytes(text));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, destination, overwrite: true);
    }

    /// <summary>Moves <paramref name="path"/> into <paramref name="directory"/> under the first free name, after <paramref name="beforeMove"/> has run for that name.</summary>
    private static string MoveInto(string path, string directory, Action<string>? beforeMove = null)
    {
        string name = Path.GetFileName(path);
        for (int n = 0; ; n++)
        {
            string target = Path.Combine(directory, n == 0 ? name : $"{n}-{name}");
            if (File.Exists(target))
            {
                continue;
            }

            beforeMove?.Invoke(target);
            try
            {
                File.Move(path, target, overwrite: false);
                return target;
            }
            catch (IOException) when (File.Exists(target))
            {
                // Taken between the check and the move (by another process): try the next name.
            }
        }
    }
}
