using System.Globalization;
using System.Text;
using System.Text.Json;
using SovereignTrajectories.Trajectories.Model;
using static SovereignTrajectories.Trajectories.Ingest.JsonFields;

namespace SovereignTrajectories.Trajectories.Ingest.Claude;

/// <summary>
/// Claude Code session logs (<c>~/.claude/projects/&lt;project&gt;/&lt;session&gt;.jsonl</c>): lines deduplicated
/// by <c>uuid</c>; one assistant <c>message.id</c> is one agent step (its text blocks joined, its last
/// usage kept) with its thinking before it; <c>tool_use</c> paired with the <c>tool_result</c> of the same
/// <c>tool_use_id</c>; <c>Task</c>/<c>Agent</c> calls become subagent steps and sidechain lines are summarised
/// by them. Bad lines are skipped with a note (the log is append-only and a crash can cut the last line).
/// </summary>
public sealed class ClaudeCodeReader : ITrajectoryReader
{
    public TrajectoryFormat Format => TrajectoryFormat.Claude;

    public async Task<IngestResult> ReadAsync(Stream input, string sourceName, IngestOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        var notes = new NoteList();
        var state = new State(options, notes, sourceName);
        JsonlLoop.JsonlSummary summary = await JsonlLoop.RunAsync(
            input, sourceName, options, formatAllowsSkipping: true, notes, state.Handle, cancellationToken).ConfigureAwait(false);
        Trajectory trajectory = state.Build(summary);
        return new IngestResult(TrajectoryFormat.Claude, sourceName, [trajectory], ValueList<TrajectoryNote>.Empty);
    }

    private sealed class State(IngestOptions options, NoteList notes, string source)
    {
        private readonly StepAssembler _steps = new(options, notes);
        private readonly HashSet<string> _uuids = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Message> _messages = new(StringComparer.Ordinal);
        private readonly List<Message> _order = [];
        private string? _sessionId;
        private string? _version;
        private string? _model;
        private DateTimeOffset? _first;
        private DateTimeOffset? _last;
        private bool? _sidechainFile;

        public void Handle(JsonElement root, long line)
        {
            string location = $"{source}:{line}";
            string? type = Str(root, "type", "");
            string? uuid = Str(root, "uuid", "");
            DateTimeOffset? ts = Time(root, "timestamp", "");
            bool sidechain = Bool(root, "isSidechain", "") ?? false;
            if (type is not ("user" or "assistant"))
            {
                notes.Count("ignored-line", $"'{type ?? "(no type)"}' lines are not steps");
                return;
            }

            JsonElement message = Obj(root, "message", "") ?? throw new BadFieldException("message", "is missing");
            if (uuid is not null && !_uuids.Add(uuid))
            {
                notes.Count("duplicate-uuid", "lines repeated with the same uuid were read once");
                return;
            }

            _sidechainFile ??= sidechain;
            if (sidechain && _sidechainFile == false)
            {
                notes.Count("sidechain", "sidechain (sub-agent) lines summarised by their subagent step");
                return;
            }

            _sessionId ??= Str(root, "sessionId", "");
            _version ??= Str(root, "version", "");
            if (ts is not null)
            {
                _first ??= ts;
                _last = ts;
            }

            if (type == "user")
            {
                User(root, message, ts, location);
            }
            else
            {
                Assistant(root, message, ts, location);
            }
        }

        public Trajectory Build(JsonlLoop.JsonlSummary summary)
        {
            foreach (Message m in _order)
            {
                string text = m.Text.ToString();
                if (text.Length == 0 && m.Usage is null)
                {
                    m.Slot.Step = null;
                    continue;
                }

                m.Slot.Step = new AgentStep(text) { Model = m.Model, Usage = m.Usage, Timestamp = m.Timestamp };
            }

            bool pending = _steps.PendingCalls > 0;
            List<Step> steps = _steps.Build(source);
            DateTimeOffset started = _first ?? options.TimeProvider.GetUtcNow();
            if (_first is null)
            {
                notes.Add("no-timestamps", "no line has a timestamp; the session start is the time of reading", source);
            }

            bool complete = !pending && !summary.LastLineBad;
            if (!complete)
            {
                notes.Add("incomplete", pending
                    ? "the run ended with tool calls unanswered"
                    : "the log ends in a cut-off line", source);
            }

            var session = new SessionInfo(IngestIds.SessionId(_sessionId, started, source, notes), started)
            {
                EndedAt = complete ? _last ?? started : null,
                Agent = new AgentInfo("claude-code", _version),
                Model = _model ?? "unknown",
            };
            return Trajectory.Create(session, steps) with { Notes = notes.ToList(source) };
        }

        private void User(JsonElement root, JsonElement message, DateTimeOffset? ts, string location)
        {
            if (Bool(root, "isMeta", "") == true)
            {
                notes.Count("ignored-line", "meta user messages (injected context) are not steps");
                return;
            }

            if (!Has(message, "content", out JsonElement content))
            {
                throw new BadFieldException("message.content", "is missing");
            }

            if (content.ValueKind == JsonValueKind.String)
            {
                _steps.Add(new UserStep(content.GetString()!) { Timestamp = ts });
                return;
            }

            if (content.ValueKind != JsonValueKind.Array)
            {
                throw Wrong("message", "content", "a string or an array", content);
            }

            var text = new StringBuilder();
            int i = 0;
            foreach (JsonElement block in content.EnumerateArray())
            {
                string path = $"message.content[{i++}]";
                RequireObject(block, path);
                switch (Str(block, "type", path))
                {
                    case "text":
                        AppendLine(text, ReqStr(block, "text", path));
                        break;
                    case "tool_result":
                        string callId = ReqStr(block, "tool_use_id", path);
                        string output = ResultText(block, path);
                        bool isError = Bool(block, "is_error", path) ?? false;
                        int? exit = ExitCode(output, isError);
                        _steps.CompleteTool(callId, output, !isError, location, exit, null, ts);
                        break;
                    default:
                        notes.Count("ignored-block", $"user '{Str(block, "type", path)}' blocks are not steps");
                        break;
                }
            }

            if (text.Length > 0)
            {
                _steps.Add(new UserStep(text.ToString()) { Timestamp = ts });
            }
        }

        private void Assistant(JsonElement root, JsonElement message, DateTimeOffset? ts, string location)
        {
            string id = Str(message, "id", "message") ?? Str(root, "uuid", "") ?? location;
            string? model = Str(message, "model", "message");
            if (model is "<synthetic>")
            {
                model = null;
            }

            _model ??= model;
            JsonElement content = Arr(message, "content", "message") ?? throw new BadFieldException("message.content", "is missing or not an array");
            if (!_messages.TryGetValue(id, out Message? m))
            {
                m = new Message(_steps.Add(new AgentStep(string.Empty))) { Model = model, Timestamp = ts };
                _messages[id] = m;
                _order.Add(m);
            }

            if (Obj(message, "usage", "message") is JsonElement usage)
            {
                m.Usage = ReadUsage(usage, Double(root, "costUSD", ""));
            }

            int i = 0;
            foreach (JsonElement block in content.EnumerateArray())
            {
                string path = $"message.content[{i++}]";
                RequireObject(block, path);
                switch (Str(block, "type", path))
                {
                    case "text":
                        AppendLine(m.Text, ReqStr(block, "text", path));
                        break;
                    case "thinking":
                        string thinking = ReqStr(block, "thinking", path);
                        _steps.InsertBefore(m.Slot, new ThinkingStep(thinking) { Sig = Str(block, "signature", path), Timestamp = ts });
                        break;
                    case "tool_use":
                        string callId = ReqStr(block, "id", path);
                        string name = ReqStr(block, "name", path);
                        Has(block, "input", out JsonElement input);
                        string inputJson = IngestIds.InputJson(input, path + ".input");
                        Func<string, Step>? asSubagent = name is "Task" or "Agent" ? Subagent(input, path) : null;
                        _steps.StartTool(callId, name, inputJson, ts, location, asSubagent);
                        break;
                    default:
                        notes.Count("ignored-block", $"assistant '{Str(block, "type", path)}' blocks are not steps");
                        break;
                }
            }
        }

        private static Func<string, Step> Subagent(JsonElement input, string path)
        {
            string name = Str(input, "subagent_type", path + ".input") ?? "task";
            string? query = Str(input, "prompt", path + ".input") ?? Str(input, "description", path + ".input");
            return result => new SubagentStep(name) { Query = query, Result = result };
        }

        private static Usage ReadUsage(JsonElement usage, double? costUsd)
        {
            long input = Long(usage, "input_tokens", "message.usage") ?? 0;
            long created = Long(usage, "cache_creation_input_tokens", "message.usage") ?? 0;
            long read = Long(usage, "cache_read_input_tokens", "message.usage") ?? 0;
            long output = Long(usage, "output_tokens", "message.usage") ?? 0;
            decimal cost = costUsd is double c && c >= 0 && c < 1e9 ? (decimal)c : 0m;
            return new Usage(input + created + read, output, read, cost);
        }

        private static string ResultText(JsonElement block, string path)
        {
            if (!Has(block, "content", out JsonElement content))
            {
                return string.Empty;
            }

            if (content.ValueKind == JsonValueKind.String)
            {
                return content.GetString()!;
            }

            if (content.ValueKind != JsonValueKind.Array)
            {
                throw Wrong(path, "content", "a string or an array", content);
            }

            var text = new StringBuilder();
            int i = 0;
            foreach (JsonElement part in content.EnumerateArray())
            {
                string partPath = $"{path}.content[{i++}]";
                RequireObject(part, partPath);
                if (Str(part, "type", partPath) == "text")
                {
                    AppendLine(text, ReqStr(part, "text", partPath));
                }
            }

            return text.ToString();
        }

        /// <summary>Claude Code starts a failed Bash result with "Exit code N" (some versions "Error: Exit code N").</summary>
        private static int? ExitCode(string output, bool isError)
        {
            const string prefix = "Exit code ";
            if (output.StartsWith("Error: ", StringComparison.Ordinal))
            {
                output = output["Error: ".Length..];
            }

            if (output.StartsWith(prefix, StringComparison.Ordinal))
            {
                int end = prefix.Length;
                while (end < output.Length && end < prefix.Length + 9 && char.IsAsciiDigit(output[end]))
                {
                    end++;
                }

                if (int.TryParse(output.AsSpan(prefix.Length, end - prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int code))
                {
                    return code;
                }
            }

            return isError ? 1 : null;
        }

        private static void AppendLine(StringBuilder sb, string text)
        {
            if (sb.Length > 0)
            {
                sb.Append('\n');
            }

            sb.Append(text);
        }
    }

    private sealed class Message(StepAssembler.Slot slot)
    {
        public StepAssembler.Slot Slot { get; } = slot;

        public StringBuilder Text { get; } = new();

        public Usage? Usage { get; set; }

        public string? Model { get; init; }

        public DateTimeOffset? Timestamp { get; init; }
    }
}
