using System.Text.Json;
using SovereignTrajectories.Trajectories.Json;
using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Worker.Feedback;

/// <summary>
/// Reads feedback JSON. Every error names where (the body, a file, an array item) and the field.
/// Without a <c>value</c>, a signal gets its conventional one (accept 1, reject -1, abandon -1,
/// regenerate -0.5, edit 0.5); <c>score</c> needs an explicit value.
/// </summary>
public static class FeedbackParser
{
    /// <summary>Longest accepted comment, in characters.</summary>
    public const int MaxCommentLength = 4000;

    private const string Signals = "accept, reject, edit, regenerate, abandon, score";

    /// <summary>Parses a body or file holding one feedback object (or, when <paramref name="allowArray"/>, an array of them).</summary>
    public static IReadOnlyList<FeedbackRequest> Parse(ReadOnlySpan<byte> json, string where, bool allowArray)
    {
        JsonDocument doc;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 16 });
            doc = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            throw Bad(where, null, $"not JSON ({ex.Message})");
        }

        using (doc)
        {
            JsonElement root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Array && allowArray)
            {
                var items = new List<FeedbackRequest>();
                int i = 0;
                foreach (JsonElement item in root.EnumerateArray())
                {
                    items.Add(ParseObject(item, $"{where} item [{i++}]"));
                }

                return items.Count > 0 ? items : throw Bad(where, null, "an empty array holds no feedback");
            }

            return [ParseObject(root, where)];
        }
    }

    /// <summary>Parses one feedback object.</summary>
    public static FeedbackRequest ParseObject(JsonElement obj, string where)
    {
        if (obj.ValueKind != JsonValueKind.Object)
        {
            throw Bad(where, null, $"expected a JSON object, found {obj.ValueKind}");
        }

        string sid = RequiredString(obj, "session_id", where);
        if (!SessionIds.IsValid(sid))
        {
            throw Bad(where, "session_id", $"'{Shorten(sid)}' is not a session id (1-128 of A-Z a-z 0-9 . _ : -)");
        }

        string signalText = RequiredString(obj, "signal", where);
        if (!WireNames.TryParseSignal(signalText, out RewardSignal signal))
        {
            throw Bad(where, "signal", $"'{Shorten(signalText)}' is not one of {Signals}");
        }

        double value;
        if (obj.TryGetProperty("value", out JsonElement v) && v.ValueKind != JsonValueKind.Null)
        {
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out value))
            {
                throw Bad(where, "value", $"must be a number within -1..1, found {v.ValueKind}");
            }

            if (double.IsNaN(value) || value < -1 || value > 1)
            {
                throw Bad(where, "value", $"must be within -1..1, found {v.GetRawText()}");
            }
        }
        else
        {
            value = signal switch
            {
                RewardSignal.Accept => 1,
                RewardSignal.Reject or RewardSignal.Abandon => -1,
                RewardSignal.Regenerate => -0.5,
                RewardSignal.Edit => 0.5,
                _ => throw Bad(where, "value", "is required for signal 'score'"),
            };
        }

        string? comment = OptionalString(obj, "comment", where);
        if (comment is { Length: > MaxCommentLength })
        {
            throw Bad(where, "comment", $"is {comment.Length} characters; at most {MaxCommentLength} are accepted");
        }

        RewardSource source = RewardSource.Explicit;
        if (OptionalString(obj, "source", where) is { } sourceText && !WireNames.TryParseSource(sourceText, out source))
        {
            throw Bad(where, "source", $"'{Shorten(sourceText)}' is not one of explicit, implicit");
        }

        DateTimeOffset? ts = null;
        if (OptionalString(obj, "ts", where) is { } tsText)
        {
            if (!Rfc3339.TryParse(tsText, out DateTimeOffset parsed))
            {
                throw Bad(where, "ts", $"'{Shorten(tsText)}' is not an RFC 3339 time");
            }

            ts = parsed;
        }

        return new FeedbackRequest(sid, signal, value, comment, source, ts);
    }

    private static string RequiredString(JsonElement obj, string field, string where)
    {
        if (!obj.TryGetProperty(field, out JsonElement e) || e.ValueKind == JsonValueKind.Null)
        {
            throw Bad(where, field, "is missing");
        }

        return e.ValueKind == JsonValueKind.String
            ? e.GetString()!
            : throw Bad(where, field, $"must be a string, found {e.ValueKind}");
    }

    private static string? OptionalString(JsonElement obj, string field, string where)
    {
        if (!obj.TryGetProperty(field, out JsonElement e) || e.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return e.ValueKind == JsonValueKind.String
            ? e.GetString()
            : throw Bad(where, field, $"must be a string, found {e.ValueKind}");
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 77), "...");

    private static FeedbackException Bad(string where, string? field, string problem) =>
        new(400, field is null ? $"{where}: {problem}" : $"{where}: field '{field}': {problem}");
}
