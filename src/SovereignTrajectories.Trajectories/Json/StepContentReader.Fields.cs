using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Trajectories.Json;

// The single pass over the content, and typed access to the members it found.
public static partial class StepContentReader
{
    /// <summary>The members some step type reads; the content's other members are passed over.</summary>
    private enum Member
    {
        Type,
        Ts,
        Confidence,
        Signature,
        Content,
        Model,
        TokensIn,
        TokensOut,
        TokensCached,
        CostUsd,
        Hash,
        Sig,
        Name,
        CallId,
        Command,
        Input,
        Progress,
        Status,
        Query,
        Result,
        SubAgent,
        Scope,
        MaxAmount,
        Options,
        Items,
        Phase,
        Summary,
        TokensTotal,
        Kind,
        ExitCode,
        Passed,
        Failed,
        Skipped,
        DurationMs,
        OutputSha256,
        StatementSha256,
        Signal,
        Source,
        Value,
        Comment,
        Tool,
        Id,
        ToolUseId,
        Params,
        Success,
        Ok,
        Output,
        Role,
        Text,
        Thinking,
        Truncated,
        LatencyMs,
    }

    private const int MemberCount = (int)Member.LatencyMs + 1;

    private static int MemberOf(ReadOnlySpan<char> name) => name switch
    {
        "type" => (int)Member.Type,
        "ts" => (int)Member.Ts,
        "confidence" => (int)Member.Confidence,
        "signature" => (int)Member.Signature,
        "content" => (int)Member.Content,
        "model" => (int)Member.Model,
        "tokens_in" => (int)Member.TokensIn,
        "tokens_out" => (int)Member.TokensOut,
        "tokens_cached" => (int)Member.TokensCached,
        "cost_usd" => (int)Member.CostUsd,
        "hash" => (int)Member.Hash,
        "sig" => (int)Member.Sig,
        "name" => (int)Member.Name,
        "call_id" => (int)Member.CallId,
        "command" => (int)Member.Command,
        "input" => (int)Member.Input,
        "progress" => (int)Member.Progress,
        "status" => (int)Member.Status,
        "query" => (int)Member.Query,
        "result" => (int)Member.Result,
        "sub_agent" => (int)Member.SubAgent,
        "scope" => (int)Member.Scope,
        "max_amount" => (int)Member.MaxAmount,
        "options" => (int)Member.Options,
        "items" => (int)Member.Items,
        "phase" => (int)Member.Phase,
        "summary" => (int)Member.Summary,
        "tokens_total" => (int)Member.TokensTotal,
        "kind" => (int)Member.Kind,
        "exit_code" => (int)Member.ExitCode,
        "passed" => (int)Member.Passed,
        "failed" => (int)Member.Failed,
        "skipped" => (int)Member.Skipped,
        "duration_ms" => (int)Member.DurationMs,
        "output_sha256" => (int)Member.OutputSha256,
        "statement_sha256" => (int)Member.StatementSha256,
        "signal" => (int)Member.Signal,
        "source" => (int)Member.Source,
        "value" => (int)Member.Value,
        "comment" => (int)Member.Comment,
        "tool" => (int)Member.Tool,
        "id" => (int)Member.Id,
        "tool_use_id" => (int)Member.ToolUseId,
        "params" => (int)Member.Params,
        "success" => (int)Member.Success,
        "ok" => (int)Member.Ok,
        "output" => (int)Member.Output,
        "role" => (int)Member.Role,
        "text" => (int)Member.Text,
        "thinking" => (int)Member.Thinking,
        "truncated" => (int)Member.Truncated,
        "latency_ms" => (int)Member.LatencyMs,
        _ => -1,
    };

    private static string WireName(Member member) => member switch
    {
        Member.Type => "type",
        Member.Ts => "ts",
        Member.Confidence => "confidence",
        Member.Signature => "signature",
        Member.Content => "content",
        Member.Model => "model",
        Member.TokensIn => "tokens_in",
        Member.TokensOut => "tokens_out",
        Member.TokensCached => "tokens_cached",
        Member.CostUsd => "cost_usd",
        Member.Hash => "hash",
        Member.Sig => "sig",
        Member.Name => "name",
        Member.CallId => "call_id",
        Member.Command => "command",
        Member.Input => "input",
        Member.Progress => "progress",
        Member.Status => "status",
        Member.Query => "query",
        Member.Result => "result",
        Member.SubAgent => "sub_agent",
        Member.Scope => "scope",
        Member.MaxAmount => "max_amount",
        Member.Options => "options",
        Member.Items => "items",
        Member.Phase => "phase",
        Member.Summary => "summary",
        Member.TokensTotal => "tokens_total",
        Member.Kind => "kind",
        Member.ExitCode => "exit_code",
        Member.Passed => "passed",
        Member.Failed => "failed",
        Member.Skipped => "skipped",
        Member.DurationMs => "duration_ms",
        Member.OutputSha256 => "output_sha256",
        Member.StatementSha256 => "statement_sha256",
        Member.Signal => "signal",
        Member.Source => "source",
        Member.Value => "value",
        Member.Comment => "comment",
        Member.Tool => "tool",
        Member.Id => "id",
        Member.ToolUseId => "tool_use_id",
        Member.Params => "params",
        Member.Success => "success",
        Member.Ok => "ok",
        Member.Output => "output",
        Member.Role => "role",
        Member.Text => "text",
        Member.Thinking => "thinking",
        Member.Truncated => "truncated",
        Member.LatencyMs => "latency_ms",
        _ => throw new ArgumentOutOfRangeException(nameof(member)),
    };

    private static string? KnownType(ReadOnlySpan<char> type) => type switch
    {
        StepTypes.User => StepTypes.User,
        StepTypes.Agent => StepTypes.Agent,
        StepTypes.Thinking => StepTypes.Thinking,
        StepTypes.Tool => StepTypes.Tool,
        StepTypes.ToolStart => StepTypes.ToolStart,
        StepTypes.ToolProgress => StepTypes.ToolProgress,
        StepTypes.Observation => StepTypes.Observation,
        StepTypes.Subagent => StepTypes.Subagent,
        StepTypes.Delegation => StepTypes.Delegation,
        StepTypes.Question => StepTypes.Question,
        StepTypes.Todos => StepTypes.Todos,
        StepTypes.Phase => StepTypes.Phase,
        StepTypes.SessionEnd => StepTypes.SessionEnd,
        StepTypes.Verification => StepTypes.Verification,
        StepTypes.Reward => StepTypes.Reward,
        "ToolUse" => "ToolUse",
        "ToolResult" => "ToolResult",
        "Message" => "Message",
        "Thinking" => "Thinking",
        _ => null,
    };

    private static JsonValueKind KindOf(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => JsonValueKind.Object,
        JsonTokenType.StartArray => JsonValueKind.Array,
        JsonTokenType.String => JsonValueKind.String,
        JsonTokenType.Number => JsonValueKind.Number,
        JsonTokenType.True => JsonValueKind.True,
        JsonTokenType.False => JsonValueKind.False,
        JsonTokenType.Null => JsonValueKind.Null,
        _ => JsonValueKind.Undefined,
    };

    /// <summary>Where a member's value lies in the UTF-8 text: the whole token (quotes and brackets included).</summary>
    private struct Slot
    {
        public int Start;
        public int Length;

        /// <summary><see cref="JsonTokenType.None"/> when the member is absent.</summary>
        public JsonTokenType Kind;

        /// <summary>For a string: it holds escapes, so it must be unescaped rather than just transcoded.</summary>
        public bool Escaped;
    }

    /// <summary>Typed access to the members of one object (the content, or a todo item) with errors that name them.</summary>
    private readonly ref struct Fields
    {
        private readonly ReadOnlySpan<byte> _json;
        private readonly ReadOnlySpan<Slot> _slots;
        private readonly StepSource _source;

        // Names whose escapes do not unescape (a lone surrogate), as (start, length) of the text
        // between the quotes. Null unless the object has one, which real content never does.
        private readonly List<(int Start, int Length)>? _unreadableNames;

        private Fields(ReadOnlySpan<byte> json, ReadOnlySpan<Slot> slots, StepSource source, List<(int Start, int Length)>? unreadableNames)
        {
            _json = json;
            _slots = slots;
            _source = source;
            _unreadableNames = unreadableNames;
        }

        /// <summary>
        /// The one pass: validates the whole of <paramref name="utf8"/> as JSON (JsonDocument.Parse's
        /// default options, so the same errors) and fills <paramref name="slots"/> with the root
        /// object's members.
        /// </summary>
        public static Fields Scan(ReadOnlySpan<byte> utf8, Span<Slot> slots, StepSource source)
        {
            var reader = new Utf8JsonReader(utf8);
            List<(int Start, int Length)>? unreadable = null;
            try
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    JsonTokenType root = reader.TokenType;
                    reader.Skip();
                    while (reader.Read())
                    {
                    }

                    throw new TrajectoryFormatException(source, "content", $"must be a JSON object, found {KindOf(root)}");
                }

                ScanMembers(ref reader, slots, ref unreadable);

                // Anything but whitespace after the root object makes the reader throw here.
                while (reader.Read())
                {
                }
            }
            catch (JsonException ex)
            {
                throw new TrajectoryFormatException(source, "content", "is not JSON: " + ex.Message, ex);
            }

            return new Fields(utf8, slots, source, unreadable);
        }

        /// <summary>From an object's start token to its end token, noting the value of each known member.</summary>
        private static void ScanMembers(ref Utf8JsonReader reader, scoped Span<Slot> slots, ref List<(int Start, int Length)>? unreadable)
        {
            Span<char> chars = stackalloc char[MaxNameLength];
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                int id = -1;
                ReadOnlySpan<byte> name = reader.ValueSpan;
                if (reader.ValueIsEscaped)
                {
                    string? unescaped = null;
                    try
                    {
                        unescaped = reader.GetString();
                    }
                    catch (InvalidOperationException)
                    {
                        (unreadable ??= []).Add(((int)reader.TokenStartIndex + 1, name.Length));
                    }

                    if (unescaped is not null)
                    {
                        id = MemberOf(unescaped);
                    }
                }
                else if (name.Length <= MaxNameLength && Ascii.ToUtf16(name, chars, out int written) == OperationStatus.Done)
                {
                    id = MemberOf(chars[..written]);
                }

                reader.Read();
                var slot = new Slot { Start = (int)reader.TokenStartIndex, Kind = reader.TokenType };
                switch (reader.TokenType)
                {
                    case JsonTokenType.String:
                        slot.Length = reader.ValueSpan.Length + 2;
                        slot.Escaped = reader.ValueIsEscaped;
                        break;
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        reader.Skip();
                        slot.Length = (int)reader.TokenStartIndex + 1 - slot.Start;
                        break;
                    default:
                        slot.Length = reader.ValueSpan.Length;
                        break;
                }

                if (id >= 0)
                {
                    slots[id] = slot;
                }
            }
        }

        public string String(Member member) =>
            OptString(member) ?? throw new TrajectoryFormatException(_source, "content." + WireName(member), "missing");

        public string? OptString(Member member)
        {
            Slot slot = Find(member);
            return slot.Kind switch
            {
                JsonTokenType.None or JsonTokenType.Null => null,
                JsonTokenType.String when !slot.Escaped => Encoding.UTF8.GetString(_json.Slice(slot.Start + 1, slot.Length - 2)),
                JsonTokenType.String => At(slot).GetString(),
                _ => throw Wrong(member, "a string", slot.Kind),
            };
        }

        public long Long(Member member) =>
            OptLong(member) ?? throw new TrajectoryFormatException(_source, "content." + WireName(member), "missing");

        public long? OptLong(Member member)
        {
            Slot slot = Find(member);
            if (slot.Kind is JsonTokenType.None or JsonTokenType.Null)
            {
                return null;
            }

            // The very test JsonElement.TryGetInt64 makes.
            ReadOnlySpan<byte> number = _json.Slice(slot.Start, slot.Length);
            return slot.Kind == JsonTokenType.Number && Utf8Parser.TryParse(number, out long v, out int consumed) && consumed == number.Length
                ? v
                : throw Wrong(member, "an integer", slot.Kind);
        }

        public double Double(Member member) =>
            OptDouble(member) ?? throw new TrajectoryFormatException(_source, "content." + WireName(member), "missing");

        public double? OptDouble(Member member)
        {
            Slot slot = Find(member);
            if (slot.Kind is JsonTokenType.None or JsonTokenType.Null)
            {
                return null;
            }

            return slot.Kind == JsonTokenType.Number ? At(slot).GetDouble() : throw Wrong(member, "a number", slot.Kind);
        }

        public decimal? OptDecimal(Member member)
        {
            Slot slot = Find(member);
            if (slot.Kind is JsonTokenType.None or JsonTokenType.Null)
            {
                return null;
            }

            return slot.Kind == JsonTokenType.Number && At(slot).TryGetDecimal(out decimal v) ? v : throw Wrong(member, "a number", slot.Kind);
        }

        public bool? OptBool(Member member)
        {
            Slot slot = Find(member);
            return slot.Kind switch
            {
                JsonTokenType.None or JsonTokenType.Null => null,
                JsonTokenType.True => true,
                JsonTokenType.False => false,
                _ => throw Wrong(member, "a boolean", slot.Kind),
            };
        }

        /// <summary>The member's text when it is a string without escapes, as its UTF-8 bytes.</summary>
        public bool TryGetPlainString(Member member, out ReadOnlySpan<byte> utf8)
        {
            Slot slot = Find(member);
            bool plain = slot.Kind == JsonTokenType.String && !slot.Escaped;
            utf8 = plain ? _json.Slice(slot.Start + 1, slot.Length - 2) : default;
            return plain;
        }

        /// <summary>The <c>type</c> member; a known type comes back as its constant rather than as a new string.</summary>
        public string? OptType()
        {
            Slot slot = Find(Member.Type);
            Span<char> chars = stackalloc char[MaxNameLength];
            if (slot.Kind == JsonTokenType.String && !slot.Escaped && slot.Length - 2 <= MaxNameLength
                && Ascii.ToUtf16(_json.Slice(slot.Start + 1, slot.Length - 2), chars, out int written) == OperationStatus.Done
                && KnownType(chars[..written]) is { } known)
            {
                return known;
            }

            return OptString(Member.Type);
        }

        public DateTimeOffset? OptTime(Member member)
        {
            Slot slot = Find(member);
            if (slot.Kind == JsonTokenType.String && !slot.Escaped && Rfc3339.TryParseFormatted(_json.Slice(slot.Start + 1, slot.Length - 2), out DateTimeOffset utc))
            {
                return utc;
            }

            string? text = OptString(member);
            if (text is null)
            {
                return null;
            }

            return Rfc3339.TryParse(text, out DateTimeOffset t)
                ? t
                : throw new TrajectoryFormatException(_source, "content." + WireName(member), $"'{Rfc3339.Shorten(text)}' is not an RFC 3339 time");
        }

        /// <summary>The member's value (any kind, null included) in compact form, as <see cref="CompactJson.Normalize(string, string)"/> gives it.</summary>
        public string? OptRawJson(Member member)
        {
            Slot slot = Find(member);
            if (slot.Kind == JsonTokenType.None)
            {
                return null;
            }

            ReadOnlySpan<byte> raw = _json.Slice(slot.Start, slot.Length);
            if (IsCompactWithoutEscapes(raw))
            {
                return Encoding.UTF8.GetString(raw);
            }

            var buffer = new ArrayBufferWriter<byte>(raw.Length + 16);
            CompactJson.Write(buffer, raw, "content." + WireName(member), sortKeys: false);
            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }

        /// <summary>
        /// True when <paramref name="json"/> (one valid JSON value) is already what
        /// <see cref="CompactJson"/> makes of it: no whitespace outside strings, and no escapes,
        /// so every string is re-emitted byte for byte (a string that needs escaping cannot be
        /// written without one). Content written by <see cref="StepContentWriter"/> always is,
        /// bar strings with quotes, backslashes or control characters.
        /// </summary>
        private static bool IsCompactWithoutEscapes(ReadOnlySpan<byte> json)
        {
            if (json.Contains((byte)'\\'))
            {
                return false;
            }

            bool inString = false;
            foreach (byte b in json)
            {
                if (b == '"')
                {
                    inString = !inString;
                }
                else if (!inString && b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
                {
                    return false;
                }
            }

            return true;
        }

        public ValueList<string> OptStringArray(Member member)
        {
            Slot slot = Find(member);
            if (slot.Kind is JsonTokenType.None or JsonTokenType.Null)
            {
                return ValueList<string>.Empty;
            }

            if (slot.Kind != JsonTokenType.StartArray)
            {
                throw Wrong(member, "an array of strings", slot.Kind);
            }

            Utf8JsonReader reader = At(slot);
            var items = new List<string>();
            int i = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                items.Add(reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw Wrong($"{WireName(member)}[{i}]", "a string", reader.TokenType));
                i++;
            }

            return ValueList.From(items);
        }

        public ValueList<TodoItem> TodoItems(Member member)
        {
            Slot slot = Find(member);
            if (slot.Kind != JsonTokenType.StartArray)
            {
                throw new TrajectoryFormatException(_source, "content." + WireName(member), "missing or not an array");
            }

            // Offsets of the items' members are relative to the array's own text.
            ReadOnlySpan<byte> array = _json.Slice(slot.Start, slot.Length);
            var reader = new Utf8JsonReader(array);
            reader.Read();
            Span<Slot> itemSlots = stackalloc Slot[MemberCount];
            var items = new List<TodoItem>();
            int i = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    throw Wrong($"{WireName(member)}[{i}]", "an object", reader.TokenType);
                }

                itemSlots.Clear();
                List<(int Start, int Length)>? unreadable = null;
                ScanMembers(ref reader, itemSlots, ref unreadable);
                var inner = new Fields(array, itemSlots, _source, unreadable);
                items.Add(new TodoItem(
                    inner.OptString(Member.Content) ?? throw new TrajectoryFormatException(_source, $"content.{WireName(member)}[{i}].content", "missing"),
                    inner.OptString(Member.Status) ?? "pending"));
                i++;
            }

            return ValueList.From(items);
        }

        private Slot Find(Member member)
        {
            Slot slot = _slots[(int)member];
            if (_unreadableNames is not null)
            {
                ThrowIfLookupUnescapesUnreadableName(WireName(member), slot);
            }

            return slot;
        }

        /// <summary>
        /// JsonElement.TryGetProperty looked a name up from the last member backwards and stopped
        /// at the first match; on the way it unescaped every escaped name that could match (longer
        /// than the name sought, same text before its first backslash), and unescaping a lone
        /// surrogate threw. Such a name after the match (or anywhere, when there is none) makes
        /// the lookup throw that same exception here.
        /// </summary>
        private void ThrowIfLookupUnescapesUnreadableName(string name, Slot match)
        {
            for (int k = _unreadableNames!.Count - 1; k >= 0; k--)
            {
                (int start, int length) = _unreadableNames[k];
                if (match.Kind != JsonTokenType.None && start < match.Start)
                {
                    return;
                }

                ReadOnlySpan<byte> escaped = _json.Slice(start, length);
                int backslash = escaped.IndexOf((byte)'\\');
                if (escaped.Length > name.Length && name.Length > backslash && Ascii.Equals(escaped[..backslash], name.AsSpan(0, backslash)))
                {
                    Utf8JsonReader reader = new(_json.Slice(start - 1, length + 2));
                    reader.Read();
                    _ = reader.GetString();
                }
            }
        }

        /// <summary>A reader standing on the slot's token.</summary>
        private Utf8JsonReader At(Slot slot)
        {
            var reader = new Utf8JsonReader(_json.Slice(slot.Start, slot.Length));
            reader.Read();
            return reader;
        }

        private TrajectoryFormatException Wrong(Member member, string expected, JsonTokenType found) =>
            Wrong(WireName(member), expected, found);

        private TrajectoryFormatException Wrong(string name, string expected, JsonTokenType found) =>
            new(_source, "content." + name, $"must be {expected}, found {KindOf(found)}");
    }
}
