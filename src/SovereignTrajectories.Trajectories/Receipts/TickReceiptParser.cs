using System.Globalization;
using System.Text.Json;
using SovereignTrajectories.Nostr.Codecs;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Trajectories.Mapping;
using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Trajectories.Receipts;

/// <summary>
/// Reads a kind 39211 receipt back into a <see cref="TickReceipt"/>. Strict about what it reads (hex
/// lengths, integers, known status words, the coordinate naming the same sid as <c>d</c>) and tolerant
/// of extra tags and extra content keys. It does not check the signature or compare anything with
/// the trajectory: that is the auditor's job. Errors are <see cref="TickReceiptFormatException"/>.
/// </summary>
public static class TickReceiptParser
{
    public static TickReceipt Parse(NostrEvent receiptEvent)
    {
        ArgumentNullException.ThrowIfNull(receiptEvent);
        string id = receiptEvent.Id;
        if (receiptEvent.Kind != TickReceipt.Kind)
        {
            throw new TickReceiptFormatException(id, "kind", $"is {receiptEvent.Kind}, expected {TickReceipt.Kind}");
        }

        TagList tags = receiptEvent.Tags;
        string sid = Required(id, tags, "d");
        if (!SessionIds.IsValid(sid))
        {
            throw new TickReceiptFormatException(id, "tag d", $"'{sid}' is not a valid session id (1-128 of [A-Za-z0-9._:-])");
        }

        string coordinate = Required(id, tags, "a");
        string[] parts = coordinate.Split(':', 3);
        if (parts.Length != 3 || parts[0] != TrajectoryKinds.Session.ToString(CultureInfo.InvariantCulture) || !Hex.IsLowerHex(parts[1], 64))
        {
            throw new TickReceiptFormatException(id, "tag a", $"'{coordinate}' is not a session coordinate 39230:<64 hex pubkey>:<sid>");
        }

        if (parts[2] != sid)
        {
            throw new TickReceiptFormatException(id, "tag a", $"names session '{parts[2]}' but d is '{sid}'");
        }

        Tag trajectory = tags.Find("trajectory") ?? throw new TickReceiptFormatException(id, "tag trajectory", "is missing");
        string trajectoryId = HexValue(id, "tag trajectory", trajectory.Value);
        string? relay = trajectory.Count > 2 && trajectory[2].Length > 0 ? trajectory[2] : null;

        // Profile §8: a legacy "sha256:" prefix is accepted and dropped.
        string? trajectoryHash = tags.FindValue("trajectory_hash") is { } th
            ? HexValue(id, "tag trajectory_hash", th.StartsWith("sha256:", StringComparison.Ordinal) ? th["sha256:".Length..] : th)
            : null;

        string? merkleRoot = null;
        long merkleSize = 0;
        if (tags.Find("merkle_root") is { } merkle)
        {
            merkleRoot = HexValue(id, "tag merkle_root", merkle.Value);
            merkleSize = merkle.Count > 2
                ? NonNegative(id, "tag merkle_root", merkle[2])
                : throw new TickReceiptFormatException(id, "tag merkle_root", "has no leaf count (third element)");
        }

        string statusText = Required(id, tags, "status");
        if (!TickStatusNames.TryParse(statusText, out TickStatus status))
        {
            throw new TickReceiptFormatException(id, "tag status", $"'{statusText}' is not success, failure or timeout");
        }

        bool? passed = null;
        string? digest = null;
        if (tags.Find("verification") is { } verification)
        {
            passed = verification.Value switch
            {
                "passed" => true,
                "failed" => false,
                _ => throw new TickReceiptFormatException(id, "tag verification", $"'{verification.Value}' is not passed or failed"),
            };
            digest = HexValue(id, "tag verification", verification.Count > 2 ? verification[2] : null);
        }

        long? amount = null;
        string? bolt11 = null;
        if (tags.Find("amount") is { } amountTag)
        {
            amount = NonNegative(id, "tag amount", amountTag.Value);
            bolt11 = amountTag.Count > 2 && amountTag[2].Length > 0 ? amountTag[2] : null;
        }

        return new TickReceipt(sid, coordinate, trajectoryId, relay, trajectoryHash, merkleRoot, merkleSize, status, passed, digest, amount, bolt11, ParseContent(id, receiptEvent.Content));
    }

    /// <summary>Reads the content summary; unknown keys are ignored, known ones must have their types.</summary>
    public static TickReceiptSummary ParseContent(string eventId, string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(content);
        }
        catch (JsonException ex)
        {
            throw new TickReceiptFormatException(eventId, "content", $"is not valid JSON ({ex.Message})", ex);
        }

        using (doc)
        {
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new TickReceiptFormatException(eventId, "content", $"must be a JSON object, found {root.ValueKind}");
            }

            long total = Integer(eventId, root, "total_events") ?? 0;
            Usage usage = Usage.Zero;
            if (root.TryGetProperty("usage", out JsonElement u))
            {
                if (u.ValueKind != JsonValueKind.Object)
                {
                    throw new TickReceiptFormatException(eventId, "content.usage", $"must be an object, found {u.ValueKind}");
                }

                usage = new Usage(
                    Integer(eventId, u, "tokens_in", "content.usage.") ?? 0,
                    Integer(eventId, u, "tokens_out", "content.usage.") ?? 0,
                    Integer(eventId, u, "tokens_cached", "content.usage.") ?? 0,
                    Decimal(eventId, u, "cost_usd", "content.usage.") ?? 0m);
            }

            return new TickReceiptSummary(total, usage, Integer(eventId, root, "duration_ms"));
        }
    }

    private static string Required(string id, TagList tags, string name) =>
        tags.FindValue(name) ?? throw new TickReceiptFormatException(id, $"tag {name}", "is missing");

    private static string HexValue(string id, string field, string? value)
    {
        if (value is null || !Hex.IsLowerHex(value, 64))
        {
            throw new TickReceiptFormatException(id, field, $"'{value}' is not 64 lower-case hex characters");
        }

        return value;
    }

    private static long NonNegative(string id, string field, string? value)
    {
        if (value is null || value.Length == 0 || !value.All(char.IsAsciiDigit)
            || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long n))
        {
            throw new TickReceiptFormatException(id, field, $"'{value}' is not a non-negative integer");
        }

        return n;
    }

    private static long? Integer(string id, JsonElement obj, string name, string prefix = "content.")
    {
        if (!obj.TryGetProperty(name, out JsonElement e) || e.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out long n) || n < 0)
        {
            throw new TickReceiptFormatException(id, prefix + name, $"must be a non-negative integer, found {e.GetRawText()}");
        }

        return n;
    }

    private static decimal? Decimal(string id, JsonElement obj, string name, string prefix)
    {
        if (!obj.TryGetProperty(name, out JsonElement e) || e.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (e.ValueKind != JsonValueKind.Number || !e.TryGetDecimal(out decimal d) || d < 0)
        {
            throw new TickReceiptFormatException(id, prefix + name, $"must be a non-negative number, found {e.GetRawText()}");
        }

        return d;
    }
}
