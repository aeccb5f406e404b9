using System.Text.Json;

namespace SovereignTrajectories.Trajectories.Ingest;

/// <summary>
/// The shared line loop of the JSONL adapters: one JSON object per line, blank lines ignored.
/// A bad line (not JSON, not an object, a wrong-typed field, over the length limit) is skipped
/// with a note where the format allows it and <see cref="IngestOptions.SkipBadLines"/> is on;
/// otherwise it is an <see cref="IngestException"/> naming the line and field.
/// </summary>
internal static class JsonlLoop
{
    /// <summary>Lines read and skipped; <c>LastLineBad</c> when the input ends in a skipped line (often a run cut off mid-write).</summary>
    public readonly record struct JsonlSummary(long Good, long Bad, bool LastLineBad);

    public delegate void LineHandler(JsonElement root, long line);

    public static async Task<JsonlSummary> RunAsync(
        Stream input, string source, IngestOptions options, bool formatAllowsSkipping, NoteList notes, LineHandler handle, CancellationToken cancellationToken)
    {
        var documentOptions = new JsonDocumentOptions { MaxDepth = options.MaxDepth, AllowTrailingCommas = false };
        using var reader = new JsonLineReader(input, options.MaxLineBytes);
        bool skip = formatAllowsSkipping && options.SkipBadLines;
        long good = 0;
        long bad = 0;
        bool lastBad = false;
        string? firstBad = null;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false))
        {
            long line = reader.LineNumber;
            if (reader.Oversized)
            {
                Bad(null, $"line is {reader.CurrentLength} bytes, over the limit of {options.MaxLineBytes}", null);
                continue;
            }

            ReadOnlyMemory<byte> bytes = reader.Current;
            if (line == 1 && bytes.Span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            {
                bytes = bytes[3..];
            }

            if (IsBlank(bytes.Span))
            {
                continue;
            }

            try
            {
                using JsonDocument doc = JsonDocument.Parse(bytes, documentOptions);
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new BadFieldException("(line)", $"expected a JSON object, found {JsonFields.Describe(doc.RootElement.ValueKind)}");
                }

                handle(doc.RootElement, line);
                good++;
                lastBad = false;
            }
            catch (JsonException ex)
            {
                string problem = reader.LastLineUnterminated
                    ? $"not valid JSON, truncated? ({ex.Message})"
                    : $"not valid JSON ({ex.Message})";
                Bad(null, problem, ex);
            }
            catch (InvalidOperationException ex)
            {
                // System.Text.Json's signal for text it cannot turn into a string (e.g. a lone surrogate escape).
                Bad(null, $"unreadable JSON text ({ex.Message})", ex);
            }
            catch (BadFieldException ex)
            {
                Bad(ex.Field, ex.Problem, ex);
            }

            void Bad(string? field, string problem, Exception? inner)
            {
                if (!skip)
                {
                    throw new IngestException(source, line, field, problem, inner);
                }

                bad++;
                lastBad = true;
                firstBad ??= new IngestException(source, line, field, problem).Message;
                notes.Add("skipped-line", field is null ? $"skipped: {problem}" : $"skipped: field '{field}': {problem}", $"{source}:{line}");
            }
        }

        if (good == 0)
        {
            throw bad > 0
                ? new IngestException(source, null, null, $"no readable line: all {bad} lines are bad; first: {firstBad}")
                : new IngestException(source, null, null, "input is empty");
        }

        return new JsonlSummary(good, bad, lastBad);
    }

    private static bool IsBlank(ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
            {
                return false;
            }
        }

        return true;
    }
}
