using System.Security.Cryptography;
using System.Text;
using SovereignTrajectories.Trajectories.Json;
using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Trajectories.Ingest;

/// <summary>Session ids and tool inputs in the forms the model wants.</summary>
internal static class IngestIds
{
    /// <summary>The input's id made valid (sanitised), or a generated <c>run-&lt;utc&gt;-&lt;8 hex&gt;</c> when it has none.</summary>
    public static string SessionId(string? raw, DateTimeOffset startedAt, string source, NoteList notes)
    {
        if (!string.IsNullOrEmpty(raw))
        {
            string sid = SessionIds.Sanitize(raw);
            if (!string.Equals(sid, raw, StringComparison.Ordinal))
            {
                notes.Add("sanitised-session-id", $"session id '{Shorten(raw)}' rewritten as '{sid}'", source);
            }

            return sid;
        }

        // Deterministic, so reading the same file twice yields the same sid.
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source + "\n" + startedAt.ToUnixTimeMilliseconds())))[..8];
        string generated = $"run-{startedAt.UtcDateTime:yyyyMMdd'T'HHmmss}-{hash}";
        notes.Add("generated-session-id", $"input has no session id; using '{generated}'", source);
        return generated;
    }

    /// <summary>Compact JSON of a tool input given as a JSON value, or as text that may hold JSON.</summary>
    public static string InputJson(System.Text.Json.JsonElement value, string field)
    {
        if (value.ValueKind == System.Text.Json.JsonValueKind.String)
        {
            return InputJsonFromText(value.GetString()!);
        }

        if (value.ValueKind is System.Text.Json.JsonValueKind.Undefined or System.Text.Json.JsonValueKind.Null)
        {
            return "{}";
        }

        try
        {
            return CompactJson.Normalize(value);
        }
        catch (FormatException ex)
        {
            throw new BadFieldException(field, ex.Message);
        }
    }

    /// <summary>Arguments serialised as a string (Codex, OpenAI): the JSON inside when it is JSON, else the text quoted.</summary>
    public static string InputJsonFromText(string text)
    {
        string trimmed = text.TrimStart();
        if (trimmed.Length > 0 && trimmed[0] is '{' or '[')
        {
            try
            {
                return CompactJson.Normalize(text, "arguments");
            }
            catch (FormatException)
            {
                // not JSON after all: keep it as a string
            }
        }

        try
        {
            return CompactJson.Quote(text);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            throw new BadFieldException("arguments", ex.Message);
        }
    }

    public static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "...";
}
