using System.Text;
using System.Text.Json;

namespace SovereignTrajectories.Trajectories.Ingest;

/// <summary>
/// Tells the format of an input from its first bytes: the top-level keys (and <c>type</c> value) of
/// the first JSON object, read with a streaming reader so a head that cuts a document short is fine.
/// </summary>
public static class TrajectoryFormatDetector
{
    /// <summary>How many leading bytes <see cref="Detect"/> wants to see.</summary>
    public const int HeadBytes = 64 * 1024;

    private static readonly HashSet<string> ReplayTypes = new(StringComparer.Ordinal)
    {
        "ReplayHeader", "SessionStart", "PlanStart", "ToolCall", "ToolResult", "StepComplete", "Verification", "Payment", "RuntimeEvent", "SessionEnd",
    };

    private static readonly HashSet<string> CodexTypes = new(StringComparer.Ordinal)
    {
        "session_meta", "turn_context", "response_item", "event_msg", "compacted",
    };

    private static readonly HashSet<string> ClaudeTypes = new(StringComparer.Ordinal)
    {
        "user", "assistant", "system", "summary", "file-history-snapshot", "queue-operation",
    };

    /// <summary>The format of the input starting with <paramref name="head"/>, or null when it matches none.</summary>
    public static TrajectoryFormat? Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            head = head[3..];
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        string? type = null;
        string? schemaVersion = null;
        var reader = new Utf8JsonReader(head, isFinalBlock: false, new JsonReaderState(new JsonReaderOptions { MaxDepth = 256, AllowMultipleValues = true }));
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read())
            {
                if (reader.CurrentDepth == 0)
                {
                    break; // end of the first object
                }

                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
                {
                    string name = reader.GetString()!;
                    keys.Add(name);
                    if (!reader.Read())
                    {
                        break;
                    }

                    if (reader.TokenType == JsonTokenType.String && name == "type")
                    {
                        type = reader.GetString();
                    }
                    else if (reader.TokenType == JsonTokenType.String && name == "schema_version")
                    {
                        schemaVersion = reader.GetString();
                    }
                    else if (name == "resourceSpans")
                    {
                        return TrajectoryFormat.Otlp; // the key says it all, and the value may be huge
                    }
                    else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip())
                    {
                        break; // the value runs past the head
                    }
                }
            }
        }
        catch (JsonException)
        {
            // decide on what was read before the bad byte
        }
        catch (InvalidOperationException)
        {
            // an unreadable string: decide on what was read
        }

        return Decide(keys, type, schemaVersion);
    }

    /// <summary>Parses a <c>--format</c> value: auto, replay, atif, otlp, claude, codex (case-insensitive).</summary>
    public static TrajectoryFormat ParseName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Enum.TryParse(name, ignoreCase: true, out TrajectoryFormat format) && Enum.IsDefined(format) && !char.IsDigit(name[0])
            ? format
            : throw new ArgumentException($"unknown format '{name}': use auto, replay, atif, otlp, claude or codex", nameof(name));
    }

    private static TrajectoryFormat? Decide(HashSet<string> keys, string? type, string? schemaVersion)
    {
        if (keys.Contains("resourceSpans"))
        {
            return TrajectoryFormat.Otlp;
        }

        if (schemaVersion is not null && schemaVersion.StartsWith("ATIF", StringComparison.OrdinalIgnoreCase))
        {
            return TrajectoryFormat.Atif;
        }

        if (keys.Contains("replay_version") || (type is not null && ReplayTypes.Contains(type)))
        {
            return TrajectoryFormat.Replay;
        }

        if (type is not null && CodexTypes.Contains(type) && keys.Contains("payload"))
        {
            return TrajectoryFormat.Codex;
        }

        if ((type is not null && ClaudeTypes.Contains(type)) || keys.Contains("sessionId") || keys.Contains("parentUuid"))
        {
            return TrajectoryFormat.Claude;
        }

        if (keys.Contains("steps") && keys.Contains("session_id"))
        {
            return TrajectoryFormat.Atif;
        }

        return null;
    }

    internal static string DescribeHead(ReadOnlySpan<byte> head)
    {
        int n = Math.Min(head.Length, 40);
        string text = Encoding.UTF8.GetString(head[..n]).ReplaceLineEndings(" ");
        return head.Length == 0 ? "the input is empty" : $"it starts with '{text}{(head.Length > n ? "..." : string.Empty)}'";
    }
}
