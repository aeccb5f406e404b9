using System.Security.Cryptography;
using System.Text;

namespace SovereignTrajectories.Trajectories.Model;

/// <summary>The profile's session-id rule (§1): 1-128 chars of <c>[A-Za-z0-9._:-]</c>.</summary>
public static class SessionIds
{
    public const int MaxLength = 128;

    public static bool IsValid(string? sid)
    {
        if (string.IsNullOrEmpty(sid) || sid.Length > MaxLength)
        {
            return false;
        }

        foreach (char c in sid)
        {
            if (!IsAllowed(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Returns <paramref name="sid"/> or throws <see cref="ArgumentException"/> naming what is wrong.</summary>
    public static string Validate(string? sid, string paramName)
    {
        if (string.IsNullOrEmpty(sid))
        {
            throw new ArgumentException("session id is empty", paramName);
        }

        if (sid.Length > MaxLength)
        {
            throw new ArgumentException($"session id is {sid.Length} chars; at most {MaxLength} allowed", paramName);
        }

        for (int i = 0; i < sid.Length; i++)
        {
            if (!IsAllowed(sid[i]))
            {
                throw new ArgumentException($"session id has character U+{(int)sid[i]:X4} at index {i}; only [A-Za-z0-9._:-] allowed", paramName);
            }
        }

        return sid;
    }

    /// <summary>
    /// Maps a foreign id onto the allowed alphabet: other characters become <c>-</c>; an id that
    /// is empty or too long keeps its first part plus a short hash so distinct ids stay distinct.
    /// </summary>
    public static string Sanitize(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var sb = new StringBuilder(raw.Length);
        foreach (char c in raw)
        {
            sb.Append(IsAllowed(c) ? c : '-');
        }

        string cleaned = sb.ToString();
        bool changedOrLong = cleaned.Length == 0 || cleaned.Length > MaxLength;
        if (!changedOrLong)
        {
            return cleaned;
        }

        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(raw)))[..8];
        string head = cleaned.Length == 0 ? "run" : cleaned[..Math.Min(cleaned.Length, MaxLength - 9)];
        return head + "-" + hash;
    }

    private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-';
}
