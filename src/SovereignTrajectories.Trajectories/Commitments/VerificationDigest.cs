using System.Security.Cryptography;
using System.Text;
using SovereignTrajectories.Nostr.Codecs;

namespace SovereignTrajectories.Trajectories.Commitments;

/// <summary>
/// The session's verification digest (profile §5.3): SHA-256 of the verification steps' <c>statement_sha256</c>
/// values, in seq order, joined with <c>\n</c>.
/// </summary>
public static class VerificationDigest
{
    /// <summary>The digest of a session with no verification steps: SHA-256 of the empty string.</summary>
    public const string Empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>
    /// Lower-case hex digest. Every value must be 64 lower-case hex characters (what the steps carry); the values are
    /// hashed exactly as given, never re-encoded. No values gives <see cref="Empty"/> (SHA-256 of "").
    /// </summary>
    /// <exception cref="FormatException">A value is not 64 lower-case hex characters; the message names its position.</exception>
    public static string Compute(IEnumerable<string> statementSha256Hex)
    {
        ArgumentNullException.ThrowIfNull(statementSha256Hex);
        using IncrementalHash sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        int index = 0;
        foreach (string value in statementSha256Hex)
        {
            if (value is null || !Hex.IsLowerHex(value, 64))
            {
                throw new FormatException(
                    $"statement_sha256 at position {index} is not 64 lower-case hex characters: '{value}'");
            }

            if (index > 0)
            {
                sha.AppendData("\n"u8);
            }

            sha.AppendData(Encoding.ASCII.GetBytes(value));
            index++;
        }

        return Hex.Encode(sha.GetHashAndReset());
    }
}
