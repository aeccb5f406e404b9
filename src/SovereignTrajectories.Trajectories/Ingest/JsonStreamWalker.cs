using System.Buffers;
using System.Text.Json;

namespace SovereignTrajectories.Trajectories.Ingest;

/// <summary>
/// Streams a large JSON document (or several concatenated, as the OTel collector's file exporter
/// writes them) and hands over, one at a time, each object found at a watched path such as
/// <c>resourceSpans/*/scopeSpans/*/spans/*</c>. Only the element being handed over is held as a
/// DOM, so memory stays bounded by the largest element (at most
/// <see cref="IngestOptions.MaxElementBytes"/>), not by the file.
/// </summary>
internal sealed class JsonStreamWalker
{
    /// <summary>Receives one watched element: its path key, the element, its 1-based line and its indexed path.</summary>
    public delegate void ElementHandler(string pathKey, JsonElement element, long line, string path);

    private readonly HashSet<string> _targets;
    private readonly HashSet<int> _targetDepths;
    private readonly List<Frame> _stack = [];
    private readonly ElementHandler _handler;
    private readonly string _source;
    private readonly IngestOptions _options;
    private string? _pendingName;
    private long _linesBefore;
    private int _lineScan;

    public JsonStreamWalker(IEnumerable<string> targets, ElementHandler handler, string source, IngestOptions options)
    {
        _targets = new HashSet<string>(targets, StringComparer.Ordinal);
        _targetDepths = _targets.Select(t => t.Split('/').Length).ToHashSet();
        _handler = handler;
        _source = source;
        _options = options;
    }

    /// <summary>Number of top-level JSON values read.</summary>
    public int Documents { get; private set; }

    public async Task WalkAsync(Stream input, CancellationToken cancellationToken)
    {
        var readerOptions = new JsonReaderOptions { MaxDepth = _options.MaxDepth, AllowMultipleValues = true };
        var state = new JsonReaderState(readerOptions);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        int length = 0;
        bool eof = false;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!eof && length < buffer.Length)
                {
                    int read = await input.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                    eof = read == 0;
                    length += read;
                }

                int consumed;
                try
                {
                    consumed = Process(buffer.AsSpan(0, length), eof, ref state);
                }
                catch (JsonException ex)
                {
                    throw new IngestException(_source, ex.LineNumber + 1, null, $"not valid JSON, truncated? ({ex.Message})", ex);
                }
                catch (BadFieldException ex)
                {
                    throw new IngestException(_source, CurrentLine(buffer.AsSpan(0, length), 0), ex.Field, ex.Problem, ex);
                }

                if (eof && consumed == length)
                {
                    break;
                }

                _linesBefore += System.MemoryExtensions.Count(buffer.AsSpan(_lineScan, consumed - _lineScan), (byte)'\n');
                _lineScan = 0;
                Buffer.BlockCopy(buffer, consumed, buffer, 0, length - consumed);
                length -= consumed;
                if (consumed == 0 && length == buffer.Length)
                {
                    if (buffer.Length >= _options.MaxElementBytes)
                    {
                        throw new IngestException(_source, _linesBefore + 1, null, $"a single JSON element is larger than the limit of {_options.MaxElementBytes} bytes");
                    }

                    byte[] bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, _options.MaxElementBytes));
                    Buffer.BlockCopy(buffer, 0, bigger, 0, length);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                else if (eof && consumed == 0)
                {
                    throw new IngestException(_source, _linesBefore + 1, null, "input ends inside a JSON value (truncated)");
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private int Process(ReadOnlySpan<byte> data, bool isFinal, ref JsonReaderState state)
    {
        var reader = new Utf8JsonReader(data, isFinal, state);
        while (true)
        {
            JsonReaderState before = reader.CurrentState;
            int beforePos = (int)reader.BytesConsumed;
            if (!reader.Read())
            {
                break;
            }

            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    _pendingName = reader.GetString();
                    break;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    string segment = _stack.Count == 0 ? string.Empty : _stack[^1].IsArray ? "*" : _pendingName ?? "?";
                    if (reader.TokenType == JsonTokenType.StartObject && _stack.Count > 0 && _targetDepths.Contains(_stack.Count)
                        && _targets.Contains(Key(segment)))
                    {
                        long line = CurrentLine(data, beforePos);
                        if (!JsonDocument.TryParseValue(ref reader, out JsonDocument? doc))
                        {
                            state = before;
                            return beforePos; // the element is not all in the buffer yet
                        }

                        using (doc)
                        {
                            _handler(Key(segment), doc.RootElement, line, Display(segment));
                        }

                        ValueDone();
                        break;
                    }

                    if (_stack.Count == 0)
                    {
                        Documents++;
                    }

                    _stack.Add(new Frame(segment, reader.TokenType == JsonTokenType.StartArray));
                    _pendingName = null;
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    _stack.RemoveAt(_stack.Count - 1);
                    ValueDone();
                    break;
                default:
                    if (_stack.Count == 0)
                    {
                        Documents++;
                    }

                    ValueDone();
                    break;
            }
        }

        state = reader.CurrentState;
        return (int)reader.BytesConsumed;
    }

    private void ValueDone()
    {
        _pendingName = null;
        if (_stack.Count > 0 && _stack[^1].IsArray)
        {
            _stack[^1].Index++;
        }
    }

    private string Key(string segment)
    {
        var parts = new string[_stack.Count];
        for (int i = 1; i < _stack.Count; i++)
        {
            parts[i - 1] = _stack[i].Segment;
        }

        parts[^1] = segment;
        return string.Join('/', parts);
    }

    private string Display(string segment)
    {
        var sb = new System.Text.StringBuilder();
        for (int i = 1; i < _stack.Count; i++)
        {
            Frame f = _stack[i];
            if (f.Segment == "*")
            {
                continue;
            }

            if (sb.Length > 0)
            {
                sb.Append('.');
            }

            sb.Append(f.Segment);
            if (f.IsArray)
            {
                sb.Append('[').Append(f.Index).Append(']');
            }
        }

        if (segment != "*")
        {
            sb.Append('.').Append(segment);
        }

        return sb.ToString();
    }

    private long CurrentLine(ReadOnlySpan<byte> data, int position)
    {
        if (position > _lineScan)
        {
            _linesBefore += System.MemoryExtensions.Count(data[_lineScan..position], (byte)'\n');
            _lineScan = position;
        }

        return _linesBefore + 1;
    }

    private sealed class Frame(string segment, bool isArray)
    {
        public string Segment { get; } = segment;

        public bool IsArray { get; } = isArray;

        public int Index { get; set; }
    }
}
