namespace SovereignTrajectories.Cli.Infrastructure;

/// <summary>Opens a command's INPUT argument: a file path, or standard input for <c>-</c> or no argument.</summary>
internal static class InputSource
{
    public static TextReader Open(string? path)
    {
        if (path is null or "-")
        {
            return Console.In;
        }

        if (!File.Exists(path))
        {
            throw new CliUsageException($"input file '{path}' does not exist");
        }

        return new StreamReader(path, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
    }

    public static string Describe(string? path) => path is null or "-" ? "stdin" : path;
}
