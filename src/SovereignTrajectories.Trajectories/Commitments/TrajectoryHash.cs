using System.Security.Cryptography;
using System.Text;
using SovereignTrajectories.Nostr.Codecs;

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
        using IncrementalHash sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        // Streamed through one reusable buffer, handed to the hash when full: long runs are never one
        // giant string, and 100,000 short steps are not 200,000 calls into the hash.
        byte[] buffer = new byte[64 * 1024];
        int used = 0;
        int count = 0;
        foreach (string content in stepContents)
        {
            if (content is null)
            {
                throw new ArgumentException($"step content at position {count} is null", nameof(stepContents));
            }

            int needed = 1 + Encoding.UTF8.GetMaxByteCount(content.Length);
            if (used + needed > buffer.Length)
            {
                sha.AppendData(buffer, 0, used);
                used = 0;
                if (needed > buffer.Length)
                {
                    buffer = new byte[needed];
                }
            }

            if (count > 0)
            {
                buffer[used++] = (byte)'\n';
            }

            used += Encoding.UTF8.GetBytes(content, buffer.AsSpan(used));
            count++;
        }

        sha.AppendData(buffer, 0, used);
        return count == 0 ? null : Hex.Encode(sha.GetHashAndReset());
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
}
