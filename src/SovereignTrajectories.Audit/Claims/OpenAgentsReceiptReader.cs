using System.Text.Json;
using SovereignTrajectories.Nostr.Codecs;
using SovereignTrajectories.Trajectories.Commitments;

namespace SovereignTrajectories.Audit.Claims;

/// <summary>
/// Reads RECEIPT.json tolerantly: unknown fields are ignored and several spellings accepted, but the
/// fields the audit relies on must be present with the right types. Errors are
/// <see cref="ClaimFormatException"/> naming the file and the JSON path (e.g. <c>payments[1].amount_msat</c>).
/// </summary>
public static class OpenAgentsReceiptReader
{
    public static OpenAgentsReceipt ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Read(File.ReadAllText(path), path);
    }

    public static OpenAgentsReceipt Read(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(source);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            throw new ClaimFormatException(source, "json", $"is not valid JSON ({ex.Message})", ex);
        }

        using (doc)
        {
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ClaimFormatException(source, "json", $"must be an object, found {root.ValueKind}");
            }

            string schema = RequiredString(source, root, "schema", "schema");
            if (schema != OpenAgentsReceipt.SchemaV1)
            {
                throw new ClaimFormatException(source, "schema", $"is '{schema}', expected '{OpenAgentsReceipt.SchemaV1}'");
            }

            string sessionId = RequiredString(source, root, "session_id", "session_id");
            string rawHash = RequiredString(source, root, "trajectory_hash", "trajectory_hash");
            string hash = TrajectoryHash.Normalize(rawHash);
            if (!Hex.IsLowerHex(hash, 64))
            {
                throw new ClaimFormatException(source, "trajectory_hash", $"'{rawHash}' is not 64 hex characters (optionally after 'sha256:')");
            }

            var verification = new List<OpenAgentsReceiptVerification>();
            foreach ((JsonElement item, string path) in Array(source, root, "verification"))
            {
                verification.Add(new OpenAgentsReceiptVerification(
                    RequiredString(source, item, "command", path + ".command"),
                    Integer(source, item, path, "exit_code") ?? throw new ClaimFormatException(source, path + ".exit_code", "is missing"),
                    Integer(source, item, path, "duration_ms")));
            }

            var payments = new List<OpenAgentsReceiptPayment>();
            int index = 0;
            foreach ((JsonElement item, string path) in Array(source, root, "payments"))
            {
                long? msat = Integer(source, item, path, "amount_msat") ?? Integer(source, item, path, "amount_msats");
                if (msat is null && Integer(source, item, path, "amount_sats") is long sats)
                {
                    msat = checked(sats * 1000);
                }

                payments.Add(new OpenAgentsReceiptPayment(
                    index++,
                    OptionalString(source, item, path, "rail") ?? OptionalString(source, item, path, "method"),
                    msat,
                    OptionalString(source, item, path, "bolt11") ?? OptionalString(source, item, path, "invoice"),
                    OptionalString(source, item, path, "payment_hash"),
                    OptionalString(source, item, path, "preimage") ?? OptionalString(source, item, path, "payment_preimage"),
                    OptionalString(source, item, path, "zap_receipt_id") ?? OptionalString(source, item, path, "event_id"),
                    OptionalString(source, item, path, "status")));
            }

            return new OpenAgentsReceipt(
                source,
                schema,
                sessionId,
                hash,
                rawHash.TrimStart().StartsWith("sha256:", StringComparison.OrdinalIgnoreCase),
                OptionalString(source, root, string.Empty, "policy_bundle_id"),
                OptionalString(source, root, string.Empty, "created_at"),
                verification,
                payments);
        }
    }

    private static IEnumerable<(JsonElement Item, string Path)> Array(string source, JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out JsonElement array) || array.ValueKind == JsonValueKind.Null)
        {
            yield break;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new ClaimFormatException(source, name, $"must be an array, found {array.ValueKind}");
        }

        int i = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            string path = $"{name}[{i++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new ClaimFormatException(source, path, $"must be an object, found {item.ValueKind}");
            }

            yield return (item, path);
        }
    }

    private static string RequiredString(string source, JsonElement obj, string name, string path) =>
        OptionalString(source, obj, path, name, fullPath: true) is { Length: > 0 } value
            ? value
            : throw new ClaimFormatException(source, path, "is missing or empty");

    private static string? OptionalString(string source, JsonElement obj, string path, string name, bool fullPath = false)
    {
        string field = fullPath ? path : Join(path, name);
        if (!obj.TryGetProperty(name, out JsonElement e) || e.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return e.ValueKind == JsonValueKind.String
            ? e.GetString()
            : throw new ClaimFormatException(source, field, $"must be a string, found {e.ValueKind}");
    }

    private static long? Integer(string source, JsonElement obj, string path, string name)
    {
        if (!obj.TryGetProperty(name, out JsonElement e) || e.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out long n)
            ? n
            : throw new ClaimFormatException(source, Join(path, name), $"must be an integer, found {e.GetRawText()}");
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;
}
