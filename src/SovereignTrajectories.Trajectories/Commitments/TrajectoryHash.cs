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
        byte[] buffer = [];
        int count = 0;
        foreach (string content in stepContents)
        {
            if (content is null)
            {
                throw new ArgumentException($"step content at position {count} is null", nameof(stepContents));
            }

            if (count > 0)
            {
                sha.AppendData("\n"u8);
            }

            // Streamed through one reusable buffer: long runs must not be concatenated into one giant string.
            int needed = Encoding.UTF8.GetMaxByteCount(content.Length);
            if (buffer.Length < needed)
            {
                buffer = new byte[Math.Max(needed, buffer.Length * 2)];
            }

            int written = Encoding.UTF8.GetBytes(content, buffer);
            sha.AppendData(buffer, 0, written);
            count++;
        }

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
