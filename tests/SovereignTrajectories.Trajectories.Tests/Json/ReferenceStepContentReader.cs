using System.Text.Json;
using SovereignTrajectories.Nostr.Crypto;
using SovereignTrajectories.Trajectories.Json;
using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Trajectories.Tests.Json;

/// <summary>
/// The JsonDocument-based StepContentReader as it was before the single-pass rewrite, kept
/// verbatim (only renamed, and Rfc3339.Shorten copied in because it is internal) as the oracle
/// the differential tests compare the production reader against. One rule was changed in both
/// since: counts and exit codes outside int are refused instead of wrapped.
/// </summary>
internal static class ReferenceStepContentReader
{
    /// <param name="content">The content string as published.</param>
    /// <param name="typeFromTag">The value of a legacy <c>["step", type]</c> tag, used when the content has no <c>type</c>.</param>
    /// <param name="source">Names the input in errors and notes (e.g. <c>event &lt;id&gt;</c>).</param>
    /// <param name="notes">Receives a note for every legacy form met.</param>
    public static Step Read(string content, string? typeFromTag, string source, ICollection<TrajectoryNote> notes)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(notes);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(content);
        }
        catch (JsonException ex)
        {
            throw new TrajectoryFormatException(source, "content", "is not JSON: " + ex.Message, ex);
        }

        using (doc)
        {
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new TrajectoryFormatException(source, "content", $"must be a JSON object, found {root.ValueKind}");
            }

            var f = new Fields(root, source);
            string? type = f.OptString("type");
            if (type is null)
            {
                if (typeFromTag is null)
                {
                    throw new TrajectoryFormatException(source, "content.type", "missing, and no [\"step\", type] tag");
                }

                type = typeFromTag;
                notes.Add(new TrajectoryNote("legacy-step-tag", $"step type '{type}' taken from a [\"step\", ...] tag", source));
            }

            Step step = ReadTyped(type, f, content, source, notes);
            return step with
            {
                Timestamp = f.OptTime("ts"),
                Confidence = f.OptDouble("confidence"),
                Signature = f.OptString("signature"),
            };
        }
    }

    private static Step ReadTyped(string type, Fields f, string content, string source, ICollection<TrajectoryNote> notes)
    {
        switch (type)
        {
            case StepTypes.User:
                return new UserStep(f.String("content"));
            case StepTypes.Agent:
                return new AgentStep(f.String("content")) { Model = f.OptString("model"), Usage = ReadUsage(f) };
            case StepTypes.Thinking:
                return new ThinkingStep(f.String("content")) { Hash = f.OptString("hash"), Sig = f.OptString("sig") };
            case StepTypes.Tool:
                return ReadTool(f, source, notes);
            case StepTypes.ToolStart:
                return new ToolStartStep(f.OptString("name") ?? string.Empty, f.OptString("call_id") ?? string.Empty)
                {
                    Command = f.OptString("command"),
                    InputJson = f.OptRawJson("input"),
                };
            case StepTypes.ToolProgress:
                return new ToolProgressStep(f.OptString("call_id") ?? string.Empty, f.String("progress"));
            case StepTypes.Observation:
                return new ObservationStep(f.OptString("call_id") ?? string.Empty, f.OptString("status") ?? string.Empty) { Content = f.OptString("content") };
            case StepTypes.Subagent:
                return new SubagentStep(f.String("name")) { Query = f.OptString("query"), Result = f.OptString("result") };
            case StepTypes.Delegation:
                return new DelegationStep(f.String("sub_agent")) { Scope = f.OptString("scope"), MaxAmount = f.OptLong("max_amount") };
            case StepTypes.Question:
                return new QuestionStep(f.String("content")) { Options = f.OptStringArray("options") };
            case StepTypes.Todos:
                return new TodosStep(f.TodoItems("items"));
            case StepTypes.Phase:
                return new PhaseStep(f.String("phase"));
            case StepTypes.SessionEnd:
                return new SessionEndStep { Summary = f.OptString("summary"), Status = f.OptString("status"), TokensTotal = f.OptLong("tokens_total") };
            case StepTypes.Verification:
                string kindText = f.String("kind");
                if (!WireNames.TryParseKind(kindText, out VerificationKind kind))
                {
                    throw new TrajectoryFormatException(source, "content.kind", $"'{kindText}' is not test, build, lint or other");
                }

                return new VerificationStep(f.String("command"), kind, Int32(f.Long("exit_code"), "exit_code", source))
                {
                    Passed = Int32(f.OptLong("passed") ?? 0, "passed", source),
                    Failed = Int32(f.OptLong("failed") ?? 0, "failed", source),
                    Skipped = Int32(f.OptLong("skipped") ?? 0, "skipped", source),
                    DurationMs = f.OptLong("duration_ms"),
                    OutputSha256 = f.OptString("output_sha256"),
                    StatementSha256 = f.OptString("statement_sha256"),
                };
            case StepTypes.Reward:
                string signalText = f.String("signal");
                if (!WireNames.TryParseSignal(signalText, out RewardSignal signal))
                {
                    throw new TrajectoryFormatException(source, "content.signal", $"'{signalText}' is not accept, reject, edit, regenerate, abandon or score");
                }

                string sourceText = f.OptString("source") ?? "explicit";
                if (!WireNames.TryParseSource(sourceText, out RewardSource rewardSource))
                {
                    throw new TrajectoryFormatException(source, "content.source", $"'{sourceText}' is not explicit or implicit");
                }

                double value = f.Double("value");
                if (value is < -1 or > 1)
                {
                    throw new TrajectoryFormatException(source, "content.value", $"{value} is outside -1..1");
                }

                return new RewardStep(signal, value, rewardSource) { Comment = f.OptString("comment") };
            case "ToolUse":
                notes.Add(new TrajectoryNote("legacy-type", "legacy step type ToolUse read as tool_start", source));
                return new ToolStartStep(
                    f.OptString("tool") ?? f.OptString("name") ?? string.Empty,
                    f.OptString("call_id") ?? f.OptString("id") ?? f.OptString("tool_use_id") ?? string.Empty)
                {
                    InputJson = f.OptRawJson("input") ?? f.OptRawJson("params"),
                };
            case "ToolResult":
                notes.Add(new TrajectoryNote("legacy-type", "legacy step type ToolResult read as observation", source));
                bool? success = f.OptBool("success") ?? f.OptBool("ok");
                return new ObservationStep(
                    f.OptString("call_id") ?? f.OptString("tool_use_id") ?? f.OptString("id") ?? string.Empty,
                    success switch { true => "ok", false => "error", null => "unknown" })
                {
                    Content = f.OptString("output") ?? f.OptString("content") ?? f.OptString("result"),
                };
            case "Message":
                notes.Add(new TrajectoryNote("legacy-type", "legacy step type Message read as user/agent", source));
                string role = f.OptString("role") ?? "assistant";
                string text = f.OptString("content") ?? f.OptString("text") ?? string.Empty;
                return role == "user" ? new UserStep(text) : new AgentStep(text);
            case "Thinking":
                notes.Add(new TrajectoryNote("legacy-type", "legacy step type Thinking read as thinking", source));
                return new ThinkingStep(f.OptString("content") ?? f.OptString("thinking") ?? string.Empty)
                {
                    Hash = f.OptString("hash"),
                    Sig = f.OptString("sig") ?? f.OptString("signature"),
                };
            default:
                notes.Add(new TrajectoryNote("unknown-type", $"step type '{type}' is not in the profile; kept as is", source));
                return new UnknownStep(type, content);
        }
    }

    private static ToolStep ReadTool(Fields f, string source, ICollection<TrajectoryNote> notes)
    {
        string output = f.OptString("output") ?? f.OptString("result") ?? string.Empty;
        bool truncated = f.OptBool("truncated") ?? false;
        string? sha = f.OptString("output_sha256");
        if (sha is not null && !truncated)
        {
            if (sha == Sha256.HexOfUtf8(output))
            {
                sha = null;
            }
            else
            {
                notes.Add(new TrajectoryNote("output-hash-mismatch", "output_sha256 does not hash the output, which is not marked truncated", source));
            }
        }

        return new ToolStep(
            f.String("name"),
            f.OptString("call_id") ?? string.Empty,
            f.OptRawJson("input") ?? "null",
            output,
            f.OptBool("ok") ?? true)
        {
            LatencyMs = f.OptLong("latency_ms"),
            OutputTruncated = truncated,
            OutputSha256 = sha,
        };
    }

    // Added to the oracle with the same change in the reader: out-of-range counts and exit codes are errors.
    private static int Int32(long value, string name, string source) =>
        value is >= int.MinValue and <= int.MaxValue
            ? (int)value
            : throw new TrajectoryFormatException(source, "content." + name, $"must be an integer from {int.MinValue} to {int.MaxValue}, found {value}");

    private static string Shorten(string? text) =>
        text is null ? "null" : text.Length <= 40 ? text : text[..40] + "...";

    private static Usage? ReadUsage(Fields f)
    {
        long? tokensIn = f.OptLong("tokens_in");
        long? tokensOut = f.OptLong("tokens_out");
        long? cached = f.OptLong("tokens_cached");
        decimal? cost = f.OptDecimal("cost_usd");
        if (tokensIn is null && tokensOut is null && cached is null && cost is null)
        {
            return null;
        }

        return new Usage(tokensIn ?? 0, tokensOut ?? 0, cached ?? 0, cost ?? 0m);
    }

    /// <summary>Typed access to the content object's fields with errors that name them.</summary>
    private readonly struct Fields(JsonElement root, string source)
    {
        public string String(string name) =>
            OptString(name) ?? throw new TrajectoryFormatException(source, "content." + name, "missing");

        public string? OptString(string name)
        {
            if (!root.TryGetProperty(name, out JsonElement e) || e.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return e.ValueKind == JsonValueKind.String
                ? e.GetString()
                : throw Wrong(name, "a string", e);
        }

        public long Long(string name) =>
            OptLong(name) ?? throw new TrajectoryFormatException(source, "content." + name, "missing");

        public long? OptLong(string name)
        {
            if (!root.TryGetProperty(name, out JsonElement e) || e.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out long v) ? v : throw Wrong(name, "an integer", e);
        }

        public double Double(string name) =>
            OptDouble(name) ?? throw new TrajectoryFormatException(source, "content." + name, "missing");

        public double? OptDouble(string name)
        {
            if (!root.TryGetProperty(name, out JsonElement e) || e.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return e.ValueKind == JsonValueKind.Number ? e.GetDouble() : throw Wrong(name, "a number", e);
        }

        public decimal? OptDecimal(string name)
        {
            if (!root.TryGetProperty(name, out JsonElement e) || e.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return e.ValueKind == JsonValueKind.Number && e.TryGetDecimal(out decimal v) ? v : throw Wrong(name, "a number", e);
        }

        public bool? OptBool(string name)
        {
            if (!root.TryGetProperty(name, out JsonElement e) || e.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return e.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw Wrong(name, "a boolean", e),
            };
        }

        public DateTimeOffset? OptTime(string name)
        {
            string? text = OptString(name);
            if (text is null)
            {
                return null;
            }

            return Rfc3339.TryParse(text, out DateTimeOffset t)
                ? t
                : throw new TrajectoryFormatException(source, "content." + name, $"'{Shorten(text)}' is not an RFC 3339 time");
        }

        public string? OptRawJson(string name) =>
            root.TryGetProperty(name, out JsonElement e) ? CompactJson.Normalize(e.GetRawText(), "content." + name) : null;

        public ValueList<string> OptStringArray(string name)
        {
            if (!root.TryGetProperty(name, out JsonElement e) || e.ValueKind == JsonValueKind.Null)
            {
                return ValueList<string>.Empty;
            }

            if (e.ValueKind != JsonValueKind.Array)
            {
                throw Wrong(name, "an array of strings", e);
            }

            var items = new List<string>();
            int i = 0;
            foreach (JsonElement item in e.EnumerateArray())
            {
                items.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw Wrong($"{name}[{i}]", "a string", item));
                i++;
            }

            return ValueList.From(items);
        }

        public ValueList<TodoItem> TodoItems(string name)
        {
            if (!root.TryGetProperty(name, out JsonElement e) || e.ValueKind != JsonValueKind.Array)
            {
                throw new TrajectoryFormatException(source, "content." + name, "missing or not an array");
            }

            var items = new List<TodoItem>();
            int i = 0;
            foreach (JsonElement item in e.EnumerateArray())
            {
                var inner = new Fields(item, source);
                if (item.ValueKind != JsonValueKind.Object)
                {
                    throw Wrong($"{name}[{i}]", "an object", item);
                }

                items.Add(new TodoItem(
                    inner.OptString("content") ?? throw new TrajectoryFormatException(source, $"content.{name}[{i}].content", "missing"),
                    inner.OptString("status") ?? "pending"));
                i++;
            }

            return ValueList.From(items);
        }

        private TrajectoryFormatException Wrong(string name, string expected, JsonElement found) =>
            new(source, "content." + name, $"must be {expected}, found {found.ValueKind}");
    }
}
