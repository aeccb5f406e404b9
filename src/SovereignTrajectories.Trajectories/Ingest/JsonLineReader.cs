using System.Buffers;

namespace SovereignTrajectories.Trajectories.Ingest;

/// <summary>
/// Reads a stream line by line as UTF-8 bytes without holding more than one line (at most
/// <c>maxLineBytes</c>) in memory. A longer line is reported as <see cref="Oversized"/> and skipped
/// to its end without buffering it.
/// </summary>
internal sealed class JsonLineReader : IDisposable
{
    private readonly Stream _stream;
    private readonly int _maxLineBytes;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _eof;

    public JsonLineReader(Stream stream, int maxLineBytes)
    {
        _stream = stream;
        _maxLineBytes = maxLineBytes;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(64 * 1024, Math.Max(maxLineBytes + 1, 16)));
    }

    /// <summary>1-based number of the line last returned.</summary>
    public long LineNumber { get; private set; }

    /// <summary>The line last returned, without its line break; valid until the next read.</summary>
    public ReadOnlyMemory<byte> Current { get; private set; }

    /// <summary>True when the line last returned was longer than the limit (then <see cref="Current"/> is empty).</summary>
    public bool Oversized { get; private set; }

    /// <summary>Length in bytes of the last line (also when oversized).</summary>
    public long CurrentLength { get; private set; }

    /// <summary>Bytes read from the stream so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>True when the last line ended at the end of the input without a line break.</summary>
    public bool LastLineUnterminated { get; private set; }

    public async ValueTask<bool> ReadLineAsync(CancellationToken cancellationToken)
    {
        Oversized = false;
        int scanFrom = _start;
        long skipped = 0;
        bool skipping = false;
        while (true)
        {
            int nl = Array.IndexOf(_buffer, (byte)'\n', scanFrom, _end - scanFrom);
            if (nl >= 0)
            {
                LineNumber++;
                LastLineUnterminated = false;
                if (skipping)
                {
                    CurrentLength = skipped + (nl - _start);
                    Current = ReadOnlyMemory<byte>.Empty;
                    Oversized = true;
                }
                else
                {
                    int len = nl - _start;
                    int trimmed = len > 0 && _buffer[nl - 1] == (byte)'\r' ? len - 1 : len;
                    CurrentLength = len;
                    if (len > _maxLineBytes)
                    {
                        Oversized = true;
                        Current = ReadOnlyMemory<byte>.Empty;
                    }
                    else
                    {
                        Current = _buffer.AsMemory(_start, trimmed);
                    }
                }

                _start = nl + 1;
                return true;
            }

            if (_eof)
            {
                if (_end == _start && !skipping)
                {
                    return false;
                }

                LineNumber++;
                LastLineUnterminated = true;
                CurrentLength = skipped + (_end - _start);
                Oversized = skipping || _end - _start > _maxLineBytes;
                Current = Oversized ? ReadOnlyMemory<byte>.Empty : _buffer.AsMemory(_start, _end - _start);
                _start = _end;
                return true;
            }

            int pending = _end - _start;
            if (!skipping && pending > _maxLineBytes)
            {
                // Too long already: drop what we have and skip to the line's end.
                skipping = true;
                skipped += pending;
                _start = _end;
                pending = 0;
            }
            else if (skipping)
            {
                skipped += pending;
                _start = _end;
                pending = 0;
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
                _start = 0;
                _end = pending;
            }

            if (_end == _buffer.Length)
            {
                int size = (int)Math.Min((long)_buffer.Length * 2, (long)_maxLineBytes + 2);
                if (size <= _buffer.Length)
                {
                    size = _buffer.Length * 2;
                }

                byte[] bigger = ArrayPool<byte>.Shared.Rent(size);
                Buffer.BlockCopy(_buffer, 0, bigger, 0, _end);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = bigger;
            }

            scanFrom = _end;
            int read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                _eof = true;
            }

            _end += read;
            BytesRead += read;
        }
    }

    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
