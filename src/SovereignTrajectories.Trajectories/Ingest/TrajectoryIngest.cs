using SovereignTrajectories.Trajectories.Ingest.Atif;
using SovereignTrajectories.Trajectories.Ingest.Claude;
using SovereignTrajectories.Trajectories.Ingest.Codex;
using SovereignTrajectories.Trajectories.Ingest.Otlp;

namespace SovereignTrajectories.Trajectories.Ingest;

/// <summary>
/// The ingest entry point: picks the adapter for a format (or detects it from the content with
/// <see cref="TrajectoryFormat.Auto"/>) and reads a file or stream into trajectories.
/// </summary>
public sealed class TrajectoryIngest
{
    private readonly Dictionary<TrajectoryFormat, ITrajectoryReader> _readers;

    /// <summary>The built-in adapters.</summary>
    public TrajectoryIngest()
        : this([new ReplayAdapter(), new AtifReader(), new OtlpReader(), new ClaudeCodeReader(), new CodexRolloutReader()])
    {
    }

    /// <summary>Custom adapters (one per format; a later one replaces an earlier one).</summary>
    public TrajectoryIngest(IEnumerable<ITrajectoryReader> readers)
    {
        ArgumentNullException.ThrowIfNull(readers);
        _readers = [];
        foreach (ITrajectoryReader reader in readers)
        {
            _readers[reader.Format] = reader;
        }
    }

    /// <summary>Reads the file at <paramref name="path"/>.</summary>
    public async Task<IngestResult> ReadFileAsync(string path, TrajectoryFormat format = TrajectoryFormat.Auto, IngestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new IngestException(path, null, null, "file does not exist", ex);
        }

        await using (stream.ConfigureAwait(false))
        {
            return await ReadAsync(stream, path, format, options, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads <paramref name="input"/> to its end; <paramref name="sourceName"/> names it in notes and errors.</summary>
    public async Task<IngestResult> ReadAsync(Stream input, string sourceName, TrajectoryFormat format = TrajectoryFormat.Auto, IngestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(sourceName);
        options ??= IngestOptions.Default;
        Stream stream = input;
        if (format == TrajectoryFormat.Auto)
        {
            byte[] head = new byte[TrajectoryFormatDetector.HeadBytes];
            int length = 0;
            while (length < head.Length)
            {
                int read = await input.ReadAsync(head.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }

            format = TrajectoryFormatDetector.Detect(head.AsSpan(0, length))
                ?? throw new IngestException(sourceName, null, null,
                    $"cannot tell the format ({TrajectoryFormatDetector.DescribeHead(head.AsSpan(0, length))}); pass --format replay|atif|otlp|claude|codex");
            stream = new PrefixedReadStream(head.AsMemory(0, length), input);
        }

        if (!_readers.TryGetValue(format, out ITrajectoryReader? reader))
        {
            throw new IngestException(sourceName, null, null, $"no adapter for format {format}");
        }

        return await reader.ReadAsync(stream, sourceName, options, cancellationToken).ConfigureAwait(false);
    }
}
