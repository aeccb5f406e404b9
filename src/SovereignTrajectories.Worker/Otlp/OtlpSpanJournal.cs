using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using static SovereignTrajectories.Worker.Otlp.OtlpRequestSplitter;

namespace SovereignTrajectories.Worker.Otlp;

/// <summary>
/// Spans the receiver answered 200 for but has not stored as a run yet, on disk: one append-only
/// file per open trace, one line per accepted request part (<c>{"at":unix-ms,"request":{OTLP/JSON}}</c>),
/// flushed to the device before the exporter is answered. A trace's file is deleted once the run is
/// in the outbox. After a crash the worker reads the files back and goes on waiting for the root
/// span or the idle timeout, so an exporter's spans are never lost between its request and the run.
/// </summary>
public sealed class OtlpSpanJournal
{
    private const string Extension = ".jsonl";

    private readonly string _directory;

    public OtlpSpanJournal(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _directory = Path.GetFullPath(directory);
    }

    /// <summary>The directory holding the open traces' files.</summary>
    public string Directory => _directory;

    /// <summary>Records spans of <paramref name="traceId"/> received at <paramref name="at"/>; returns once they are on the device.</summary>
    internal async Task AppendAsync(string traceId, IReadOnlyList<ResourceText> resources, DateTimeOffset at, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(_directory);
        var line = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(line))
        {
            w.WriteStartObject();
            w.WriteNumber("at", at.ToUnixTimeMilliseconds());
            w.WritePropertyName("request");
            w.WriteRawValue(Compose(resources), skipInputValidation: true);
            w.WriteEndObject();
        }

        await using var stream = new FileStream(PathOf(traceId), FileMode.Append, FileAccess.Write, FileShare.Read, 4096, FileOptions.Asynchronous);
        await stream.WriteAsync(line.WrittenMemory, cancellationToken).ConfigureAwait(false);
        stream.WriteByte((byte)'\n');
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Forgets <paramref name="traceId"/>: its run is stored, or it can never be one.</summary>
    internal void Remove(string traceId) => File.Delete(PathOf(traceId));

    /// <summary>
    /// Every recorded request part, oldest first within each trace, and a line for each line that
    /// could not be read (skipped). A last line cut short by a crash is dropped silently and the file
    /// truncated before it, so the next append starts on a line of its own.
    /// </summary>
    internal async Task<(IReadOnlyList<(DateTimeOffset At, byte[] Request)> Entries, IReadOnlyList<string> Problems)> ReadAllAsync(CancellationToken cancellationToken)
    {
        var entries = new List<(DateTimeOffset, byte[])>();
        var problems = new List<string>();
        if (!System.IO.Directory.Exists(_directory))
        {
            return (entries, problems);
        }

        foreach (string file in System.IO.Directory.EnumerateFiles(_directory, "*" + Extension).Order(StringComparer.Ordinal))
        {
            byte[] bytes = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
            int complete = bytes.AsSpan().LastIndexOf((byte)'\n') + 1;
            if (complete < bytes.Length)
            {
                await using var stream = new FileStream(file, FileMode.Open, FileAccess.Write);
                stream.SetLength(complete);
                stream.Flush(flushToDisk: true);
            }

            foreach (Range range in bytes.AsSpan(0, complete).Split((byte)'\n'))
            {
                ReadOnlySpan<byte> line = bytes.AsSpan(range);
                if (line.IsEmpty)
                {
                    continue;
                }

                try
                {
                    using JsonDocument doc = JsonDocument.Parse(line.ToArray());
                    long at = doc.RootElement.GetProperty("at").GetInt64();
                    byte[] request = Encoding.UTF8.GetBytes(doc.RootElement.GetProperty("request").GetRawText());
                    entries.Add((DateTimeOffset.FromUnixTimeMilliseconds(at), request));
                }
                catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or ArgumentOutOfRangeException)
                {
                    problems.Add($"{file}: a line is not an OTLP span journal entry ({ex.Message}); skipped");
                }
            }
        }

        return (entries, problems);
    }

    // Trace ids come from requests: hashed, so no id can name a path outside the directory.
    private string PathOf(string traceId) =>
        Path.Combine(_directory, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(traceId))).AsSpan(0, 32).ToString() + Extension);
}
