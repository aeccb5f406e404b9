using System.Text.Json;
using SovereignTrajectories.Trajectories.Mapping;
using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Audit.Verification;

/// <summary>
/// Reads a 39230 content object strictly: exact JSON types, duplicate keys rejected. Errors are
/// <see cref="FormatException"/>s naming the event and the field.
/// </summary>
public static class SessionContentParser
{
    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false, MaxDepth = 16 };

    public static ParsedSessionContent Parse(string content, string eventId)
    {
        ArgumentNullException.ThrowIfNull(content);
        string where = $"session event {eventId}";
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(content, Strict);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{where}: content is not a JSON object without duplicate keys: {ex.Message}", ex);
        }

        using (doc)
        {
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"{where}: content is a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an object");
            }

            SessionVerification? verification = null;
            if (Opt(root, "verification") is { } v)
            {
                Expect(v, JsonValueKind.Object, where, "verification");
                verification = new SessionVerification(
                    Bool(v, "passed", where, "verification.passed"),
                    (int)Long(v, "runs", where, "verification.runs"),
                    (int)Long(v, "failed_runs", where, "verification.failed_runs"),
                    Str(v, "sha256", where, "verification.sha256"));
            }

            string? signal = null;
            double? value = null;
            if (Opt(root, "reward") is { } r)
            {
                Expect(r, JsonValueKind.Object, where, "reward");
                signal = Str(r, "signal", where, "reward.signal");
                JsonElement rv = Req(r, "value", where, "reward.value");
                Expect(rv, JsonValueKind.Number, where, "reward.value");
                value = rv.GetDouble();
            }

            Usage? usage = null;
            if (Opt(root, "usage") is { } u)
            {
                Expect(u, JsonValueKind.Object, where, "usage");
                JsonElement cost = Req(u, "cost_usd", where, "usage.cost_usd");
                Expect(cost, JsonValueKind.Number, where, "usage.cost_usd");
                usage = new Usage(
                    Long(u, "tokens_in", where, "usage.tokens_in"),
                    Long(u, "tokens_out", where, "usage.tokens_out"),
                    Long(u, "tokens_cached", where, "usage.tokens_cached"),
                    cost.GetDecimal());
            }

            return new ParsedSessionContent(
                Str(root, "session_id", where, "session_id"),
                Long(root, "started_at", where, "started_at"),
                Opt(root, "ended_at") is { } ended ? AsLong(ended, where, "ended_at") : null,
                Str(root, "model", where, "model"),
                Long(root, "total_events", where, "total_events"),
                Opt(root, "trajectory_hash") is { } th ? AsString(th, where, "trajectory_hash") : null,
                Opt(root, "merkle_root") is { } mr ? AsString(mr, where, "merkle_root") : null,
                verification,
                signal,
                value,
                usage);
        }
    }

    private static JsonElement? Opt(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out JsonElement e) && e.ValueKind != JsonValueKind.Null ? e : null;

    private static JsonElement Req(JsonElement obj, string name, string where, string field) =>
        Opt(obj, name) ?? throw new FormatException($"{where}: content.{field} is missing");

    private static string Str(JsonElement obj, string name, string where, string field) => AsString(Req(obj, name, where, field), where, field);

    private static long Long(JsonElement obj, string name, string where, string field) => AsLong(Req(obj, name, where, field), where, field);

    private static bool Bool(JsonElement obj, string name, string where, string field)
    {
        JsonElement e = Req(obj, name, where, field);
        return e.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new FormatException($"{where}: content.{field} must be true or false, got {e.ValueKind.ToString().ToLowerInvariant()}"),
        };
    }

    private static string AsString(JsonElement e, string where, string field)
    {
        Expect(e, JsonValueKind.String, where, field);
        return e.GetString()!;
    }

    private static long AsLong(JsonElement e, string where, string field) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out long v) && v >= 0
            ? v
            : throw new FormatException($"{where}: content.{field} must be a non-negative integer, got {Shorten(e.GetRawText())}");

    private static void Expect(JsonElement e, JsonValueKind kind, string where, string field)
    {
        if (e.ValueKind != kind)
        {
            throw new FormatException($"{where}: content.{field} must be a JSON {kind.ToString().ToLowerInvariant()}, got {e.ValueKind.ToString().ToLowerInvariant()}");
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "...";
}
