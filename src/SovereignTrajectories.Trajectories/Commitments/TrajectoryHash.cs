using System.Security.Cryptography;
using System.Text;
using SovereignTrajectories.Nostr.Codecs;
using SovereignTrajectories.Nostr.Events;

namespace SovereignTrajectories.Trajectories.Commitments;

/// <summary>
/// The draft-compatible <c>trajectory_hash</c> (profile §5.1): SHA-256 over the step contents exactly as signed,
/// joined with a single <c>\n</c>.
/// </summary>
public static class TrajectoryHash
{
    private const string Prefix = "sha256:";

    /// <summary>
    /// Lower-case hex SHA-256 of the UTF-8 bytes of <paramref name="stepContents"/> (in seq order) joined with
    /// <c>\n</c>, no trailing newline; <see langword="null"/> when there are no steps (the tag is then omitted).
    /// </summary>
    public static string? Compute(IEnumerable<string> stepContents)
    {
        ArgumentNullException.ThrowIfNull(stepContents);
        using var joined = new JoinedHash();
        foreach (string content in stepContents)
        {
            if (content is null)
            {
                throw new ArgumentException($"step content at position {joined.Count} is null", nameof(stepContents));
            }

            joined.AppendText(content);
        }

        return joined.Finish();
    }

    /// <summary>
    /// As <see cref="Compute(IEnumerable{string})"/> over the contents of <paramref name="stepEvents"/>, read as
    /// the UTF-8 they were parsed into where they hold it (see <see cref="Utf8ContentArena"/>).
    /// </summary>
    public static string? ComputeFromEvents(IEnumerable<NostrEvent> stepEvents)
    {
        ArgumentNullException.ThrowIfNull(stepEvents);
        using var joined = new JoinedHash();
        foreach (NostrEvent e in stepEvents)
        {
            if (e.TryGetContentUtf8(out ReadOnlyMemory<byte> utf8))
            {
                joined.AppendUtf8(utf8.Span);
            }
            else
            {
                joined.AppendText(e.Content);
            }
        }

        return joined.Finish();
    }

    /// <summary>Strips an optional <c>sha256:</c> prefix (legacy RECEIPT.json form) and lower-cases the hex.</summary>
    public static string Normalize(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        string trimmed = value.Trim();
        if (trimmed.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            trimmed = trimmed[Prefix.Length..];
        }

        return trimmed.ToLowerInvariant();
    }

    /// <summary>
    /// Contents joined with <c>\n</c> and streamed through one reusable buffer, handed to the hash when full:
    /// long runs are never one giant string, and 100,000 short steps are not 200,000 calls into the hash.
    /// </summary>
    private sealed class JoinedHash : IDisposable
    {
        private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private byte[] _buffer = new byte[64 * 1024];
        private int _used;

        public int Count { get; private set; }

        public void AppendText(string content)
        {
            Span<byte> span = Reserve(Encoding.UTF8.GetMaxByteCount(content.Length));
            _used += Encoding.UTF8.GetBytes(content, span);
        }

        public void AppendUtf8(ReadOnlySpan<byte> content)
        {
            content.CopyTo(Reserve(content.Length));
            _used += content.Length;
        }

        public string? Finish()
        {
            _sha.AppendData(_buffer, 0, _used);
            return Count == 0 ? null : Hex.Encode(_sha.GetHashAndReset());
        }

        public void Dispose() => _sha.Dispose();

        // Room for one content after its separator; the separator is written here.
        private Span<byte> Reserve(int contentBytes)
        {
            int needed = 1 + contentBytes;
            if (_used + needed > _buffer.Length)
            {
                _sha.AppendData(_buffer, 0, _used);
                _used = 0;
                if (needed > _buffer.Length)
                {
                    _buffer = new byte[needed];
                }
            }

            if (Count > 0)
            {
                _buffer[_used++] = (byte)'\n';
            }

            Count++;
            return _buffer.AsSpan(_used);
        }
    }
}
