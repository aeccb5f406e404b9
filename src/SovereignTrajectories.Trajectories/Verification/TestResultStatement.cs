using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using SovereignTrajectories.Nostr.Codecs;

namespace SovereignTrajectories.Trajectories.Verification;

/// <summary>
/// One verification run as an in-toto Statement v1 with the test-result v0.1 predicate (profile §5.3), serialised
/// once to compact UTF-8. <see cref="Sha256"/> is the <c>statement_sha256</c> of exactly <see cref="Bytes"/>: keep
/// and ship the bytes, never a re-serialised copy.
/// </summary>
/// <param name="Bytes">The statement's compact UTF-8 JSON.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of <paramref name="Bytes"/>.</param>
/// <param name="Result"><c>PASSED</c>, <c>WARNED</c> or <c>FAILED</c>.</param>
public sealed record TestResultStatement(byte[] Bytes, string Sha256, string Result)
{
    /// <summary>The in-toto Statement type.</summary>
    public const string StatementType = "https://in-toto.io/Statement/v1";

    /// <summary>The predicate type of in-toto/attestation spec/predicates/test-result.md.</summary>
    public const string PredicateType = "https://in-toto.io/attestation/test-result/v0.1";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = false,
        // The bytes are hashed, never re-derived, so any stable escaping works; relaxed keeps test names readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Builds and serialises the statement. Result: FAILED when the exit code is non-zero or any test failed,
    /// WARNED when tests warned, PASSED otherwise. Counts, kind, exit code and duration go into the configuration
    /// descriptor's <c>annotations</c> (ResourceDescriptor's open map), so the statement is complete when the
    /// harness gave no test names.
    /// </summary>
    /// <exception cref="ArgumentException">A field is missing or invalid; the message names it.</exception>
    public static TestResultStatement Create(TestRunInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        Validate(info);
        string result = info.ExitCode != 0 || info.Failed > 0 || info.FailedTests.Count > 0
            ? "FAILED"
            : info.WarnedTests.Count > 0 ? "WARNED" : "PASSED";

        using MemoryStream stream = new();
        using (Utf8JsonWriter writer = new(stream, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("_type", StatementType);
            writer.WriteStartArray("subject");
            WriteSubject(writer, info);
            writer.WriteEndArray();
            writer.WriteString("predicateType", PredicateType);
            writer.WriteStartObject("predicate");
            writer.WriteString("result", result);
            writer.WriteStartArray("configuration");
            writer.WriteStartObject();
            writer.WriteString("name", info.Command);
            writer.WriteStartObject("annotations");
            writer.WriteString("kind", info.Kind);
            writer.WriteNumber("exitCode", info.ExitCode);
            writer.WriteNumber("passed", info.Passed);
            writer.WriteNumber("failed", info.Failed);
            writer.WriteNumber("skipped", info.Skipped);
            if (info.DurationMs is long duration)
            {
                writer.WriteNumber("durationMs", duration);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndArray();
            if (info.Url is not null)
            {
                writer.WriteString("url", info.Url);
            }

            WriteNames(writer, "passedTests", info.PassedTests);
            WriteNames(writer, "warnedTests", info.WarnedTests);
            WriteNames(writer, "failedTests", info.FailedTests);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        byte[] bytes = stream.ToArray();
        return new TestResultStatement(bytes, Hex.Encode(SHA256.HashData(bytes)), result);
    }

    /// <summary>Lower-case hex SHA-256 of statement bytes as stored (for checking an archived statement).</summary>
    public static string HashBytes(ReadOnlySpan<byte> statementBytes) => Hex.Encode(SHA256.HashData(statementBytes));

    private static void WriteSubject(Utf8JsonWriter writer, TestRunInfo info)
    {
        if (info.Sha is not null)
        {
            writer.WriteStartObject();
            writer.WriteString("name", info.Repo ?? "repository");
            writer.WriteStartObject("digest");
            writer.WriteString("gitCommit", info.Sha.ToLowerInvariant());
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        if (info.Sha is null && info.OutputSha256 is null)
        {
            // in-toto needs a subject; with neither commit nor output the statement is about the command it ran.
            writer.WriteStartObject();
            writer.WriteString("name", "command");
            writer.WriteStartObject("digest");
            writer.WriteString("sha256", Nostr.Crypto.Sha256.HexOfUtf8(info.Command));
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        if (info.OutputSha256 is not null)
        {
            writer.WriteStartObject();
            writer.WriteString("name", "output");
            writer.WriteStartObject("digest");
            writer.WriteString("sha256", info.OutputSha256);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
    }

    private static void WriteNames(Utf8JsonWriter writer, string property, IReadOnlyList<string> names)
    {
        writer.WriteStartArray(property);
        foreach (string name in names)
        {
            writer.WriteStringValue(name);
        }

        writer.WriteEndArray();
    }

    private static void Validate(TestRunInfo info)
    {
        if (string.IsNullOrWhiteSpace(info.Command))
        {
            throw new ArgumentException("test run info: command is empty", nameof(info));
        }

        if (!TestRunInfo.Kinds.Contains(info.Kind))
        {
            throw new ArgumentException(
                $"test run info: kind '{info.Kind}' is not one of {string.Join(", ", TestRunInfo.Kinds)}", nameof(info));
        }

        if (info.Passed < 0 || info.Failed < 0 || info.Skipped < 0)
        {
            throw new ArgumentException(
                $"test run info: counts must not be negative (passed {info.Passed}, failed {info.Failed}, skipped {info.Skipped})",
                nameof(info));
        }

        if (info.Sha is not null && !(IsHex(info.Sha, 40) || IsHex(info.Sha, 64)))
        {
            throw new ArgumentException($"test run info: sha '{info.Sha}' is not a 40 or 64 hex commit id", nameof(info));
        }

        if (info.OutputSha256 is not null && !Hex.IsLowerHex(info.OutputSha256, 64))
        {
            throw new ArgumentException(
                $"test run info: output_sha256 '{info.OutputSha256}' is not 64 lower-case hex characters", nameof(info));
        }

        CheckNames(info.PassedTests, "passedTests");
        CheckNames(info.WarnedTests, "warnedTests");
        CheckNames(info.FailedTests, "failedTests");
    }

    private static void CheckNames(IReadOnlyList<string> names, string field)
    {
        if (names is null)
        {
            throw new ArgumentException($"test run info: {field} is null");
        }

        for (int i = 0; i < names.Count; i++)
        {
            if (names[i] is null)
            {
                throw new ArgumentException($"test run info: {field}[{i}] is null");
            }
        }
    }

    private static bool IsHex(string value, int length) => Hex.IsLowerHex(value.ToLowerInvariant(), length);
}
