namespace SovereignTrajectories.Trajectories.Ingest;

/// <summary>
/// Input an adapter cannot read: truncated, not JSON, a field of the wrong type, or over a size
/// limit. The message names the file, the line (when known) and the field, then what is wrong.
/// </summary>
public sealed class IngestException : FormatException
{
    public IngestException(string file, long? line, string? field, string problem, Exception? inner = null)
        : base(Describe(file, line, field, problem), inner)
    {
        File = file;
        Line = line;
        Field = field;
        Problem = problem;
    }

    /// <summary>The input's name (path, or what the caller named the stream).</summary>
    public string File { get; }

    /// <summary>1-based line of the problem, when the format has lines or the parser knows it.</summary>
    public long? Line { get; }

    /// <summary>JSON path of the offending field (e.g. <c>message.content[2].input</c>), when one field is at fault.</summary>
    public string? Field { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }

    private static string Describe(string file, long? line, string? field, string problem)
    {
        string where = line is null ? file : $"{file}:{line}";
        return field is null ? $"{where}: {problem}" : $"{where}: field '{field}': {problem}";
    }
}
