using System.Globalization;
using System.Text;

namespace SovereignTrajectories.Worker.Intake;

/// <summary>
/// A drop directory's layout: <c>inbox/</c> where files land, <c>archive/</c> for files whose
/// content is safely stored, <c>failed/</c> for files that cannot be read, each with a
/// <c>.error.txt</c> beside it. Moves never overwrite: a name already taken gets a number prefix.
/// </summary>
public sealed class SpoolDirectory
{
    /// <summary>Suffix of the reason file written beside a failed file.</summary>
    public const string ErrorSuffix = ".error.txt";

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

    /// <summary>Creates the three folders when missing.</summary>
    public void EnsureCreated()
    {
        Directory.CreateDirectory(Inbox);
        Directory.CreateDirectory(Archive);
        Directory.CreateDirectory(Failed);
    }

    /// <summary>Moves an inbox file to <c>archive/</c>; returns its new path.</summary>
    public string MoveToArchive(string path) => MoveInto(path, Archive);

    /// <summary>Moves an inbox file to <c>failed/</c> and writes <paramref name="reason"/> beside it; returns its new path.</summary>
    public string MoveToFailed(string path, string reason, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(reason);
        string target = MoveInto(path, Failed);
        var text = new StringBuilder()
            .Append("file: ").Append(Path.GetFileName(path)).Append('\n')
            .Append("failed at: ").Append(at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append('\n')
            .Append("reason: ").Append(reason).Append('\n')
            .ToString();
        File.WriteAllText(target + ErrorSuffix, text, new UTF8Encoding(false));
        return target;
    }

    private static string MoveInto(string path, string directory)
    {
        string name = Path.GetFileName(path);
        for (int n = 0; ; n++)
        {
            string target = Path.Combine(directory, n == 0 ? name : $"{n}-{name}");
            if (File.Exists(target) || File.Exists(target + ErrorSuffix))
            {
                continue;
            }

            try
            {
                File.Move(path, target, overwrite: false);
                return target;
            }
            catch (IOException) when (File.Exists(target))
            {
                // Taken between the check and the move: try the next name.
            }
        }
    }
}
