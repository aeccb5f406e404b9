using System.Globalization;
using System.Text;
using System.Text.Json;
using SovereignTrajectories.Trajectories.Model;
using static SovereignTrajectories.Trajectories.Ingest.JsonFields;

namespace SovereignTrajectories.Trajectories.Ingest.Codex;

/// <summary>
/// Codex CLI rollout logs (<c>~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl</c>), lines of
/// <c>{timestamp, type, payload}</c>: <c>session_meta</c> gives the session, <c>turn_context</c> the model,
/// <c>response_item</c> the messages, reasoning summaries and tool calls (<c>function_call</c> /
/// <c>custom_tool_call</c> paired with their outputs by <c>call_id</c>), <c>event_msg</c> token counts and
/// turn ends. Bad lines are skipped with a note.
/// </summary>
public sealed class CodexRolloutReader : ITrajectoryReader
{
    public TrajectoryFormat Format => TrajectoryFormat.Codex;

    public async Task<IngestResult> ReadAsync(Stream input, string sourceName, IngestOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        var notes = new NoteList();
        var state = new State(options, notes, sourceName);
        JsonlLoop.JsonlSummary summary = await JsonlLoop.RunAsync(
            input, sourceName, options, formatAllowsSkipping: true, notes, state.Handle, cancellationToken).ConfigureAwait(false);
        return new IngestResult(TrajectoryFormat.Codex, sourceName, [state.Build(summary)], ValueList<TrajectoryNote>.Empty);
    }

    private sealed class State(IngestOptions options, NoteList notes, string source)
    {
        private readonly StepAssembler _steps = new(options, notes);
        private string? _sessionId;
        private string? _version;
        private string? _originator;
        private string? _sessionModel;
        private string? _model;
        private string? _repo;
        private string? _sha;
        private DateTimeOffset? _first;
        private DateTimeOffset? _last;
        private DateTimeOffset? _sessionStart;
        private bool _inTurn;
        private StepAssembler.Slot? _lastAgent;
        private StepAssembler.Slot? _agentSinceCount;
        private Usage? _carry;
        private long? _lastTotal;

        public void Handle(JsonElement root, long line)
        {
            string location = $"{source}:{line}";
            string type = ReqStr(root, "type", "");
            DateTimeOffset? ts = Time(root, "timestamp", "");
            if (ts is not null)
            {
                _first ??= ts;
                _last = ts;
            }

            JsonElement payload = Obj(root, "payload", "") ?? throw new BadFieldException("payload", "is missing");
            switch (type)
            {
                case "session_meta":
                    SessionMeta(payload);
                    break;
                case "turn_context":
                    _model = Str(payload, "model", "payload") ?? _model;
                    _sessionModel ??= _model;
                    break;
                case "response_item":
                    ResponseItem(payload, ts, location);
                    break;
                case "event_msg":
                    EventMsg(payload, ts);
                    break;
                default:
                    notes.Count("ignored-line", $"'{type}' lines are not steps");
                    break;
            }
        }

        public Trajectory Build(JsonlLoop.JsonlSummary summary)
        {
            if (_carry is not null)
            {
                if (_lastAgent?.Step is AgentStep last)
                {
                    _lastAgent.Step = last with { Usage = (last.Usage ?? Usage.Zero) + _carry };
                }
                else
                {
                    _steps.Add(new AgentStep(string.Empty) { Model = _model, Usage = _carry, Timestamp = _last });
                }
            }

            bool pending = _steps.PendingCalls > 0;
            List<Step> steps = _steps.Build(source);
            DateTimeOffset started = _sessionStart ?? _first ?? options.TimeProvider.GetUtcNow();
            if (_sessionStart is null && _first is null)
            {
                notes.Add("no-timestamps", "no line has a timestamp; the session start is the time of reading", source);
            }

            bool complete = !pending && !_inTurn && !summary.LastLineBad;
            if (!complete)
            {
                notes.Add("incomplete", pending ? "the run ended with tool calls unanswered"
                    : _inTurn ? "the last turn never completed" : "the log ends in a cut-off line", source);
            }

            var session = new SessionInfo(IngestIds.SessionId(_sessionId, started, source, notes), started)
            {
                EndedAt = complete ? _last ?? started : null,
                Agent = new AgentInfo(_originator ?? "codex", _version),
                Model = _sessionModel ?? "unknown",
                Repo = _repo,
                Sha = _sha,
            };
            return Trajectory.Create(session, steps) with { Notes = notes.ToList(source) };
        }

        private void SessionMeta(JsonElement payload)
        {
            JsonElement meta = Obj(payload, "meta", "payload") ?? payload;
            _sessionId ??= Str(meta, "id", "payload");
            _version ??= Str(meta, "cli_version", "payload");
            _originator ??= Str(meta, "originator", "payload");
            _sessionStart ??= Time(meta, "timestamp", "payload");
            JsonElement? git = Obj(payload, "git", "payload") ?? Obj(meta, "git", "payload");
            if (git is JsonElement g)
            {
                _repo ??= Str(g, "repository_url", "payload.git");
                _sha ??= Str(g, "commit_hash", "payload.git");
            }
        }

        private void ResponseItem(JsonElement payload, DateTimeOffset? ts, string location)
        {
            string kind = ReqStr(payload, "type", "payload");
            switch (kind)
            {
                case "message":
                    Message(payload, ts);
                    break;
                case "reasoning":
                    Reasoning(payload, ts);
                    break;
                case "function_call":
                    {
                        string callId = ReqStr(payload, "call_id", "payload");
                        string name = ReqStr(payload, "name", "payload");
                        Has(payload, "arguments", out JsonElement args);
                        _steps.StartTool(callId, name, IngestIds.InputJson(args, "payload.arguments"), ts, location);
                        break;
                    }

                case "local_shell_call":
                    {
                        string callId = Str(payload, "call_id", "payload") ?? Str(payload, "id", "payload") ?? location;
                        Has(payload, "action", out JsonElement action);
                        _steps.StartTool(callId, "local_shell", IngestIds.InputJson(action, "payload.action"), ts, location);
                        break;
                    }

                case "custom_tool_call":
                    {
                        string callId = ReqStr(payload, "call_id", "payload");
                        string name = ReqStr(payload, "name", "payload");
                        Has(payload, "input", out JsonElement input);
                        _steps.StartTool(callId, name, IngestIds.InputJson(input, "payload.input"), ts, location);
                        break;
                    }

                case "function_call_output" or "custom_tool_call_output" or "local_shell_call_output":
                    {
                        string callId = ReqStr(payload, "call_id", "payload");
                        Has(payload, "output", out JsonElement output);
                        (string text, int? exit, long? durationMs, bool? success) = ReadOutput(output);
                        bool ok = success ?? exit is null or 0;
                        _steps.CompleteTool(callId, text, ok, location, exit, durationMs, ts);
                        break;
                    }

                case "web_search_call":
                    {
                        Has(payload, "action", out JsonElement action);
                        string callId = Str(payload, "id", "payload") ?? location;
                        _steps.Add(new ToolStep("web_search", callId, IngestIds.InputJson(action, "payload.action"), string.Empty, Str(payload, "status", "payload") != "failed") { Timestamp = ts });
                        break;
                    }

                default:
                    notes.Count("ignored-item", $"response items of type '{kind}' are not steps");
                    break;
            }
        }

        private void Message(JsonElement payload, DateTimeOffset? ts)
        {
            string role = ReqStr(payload, "role", "payload");
            string text = ContentText(payload);
            if (role == "user")
            {
                if (IsInjectedContext(text))
                {
                    notes.Count("ignored-item", "injected context messages (environment, AGENTS.md) are not steps");
                    return;
                }

                _steps.Add(new UserStep(text) { Timestamp = ts });
            }
            else if (role == "assistant")
            {
                _lastAgent = _steps.Add(new AgentStep(text) { Model = _model, Timestamp = ts });
                _agentSinceCount = _lastAgent;
            }
            else
            {
                notes.Count("ignored-item", $"'{role}' messages (instructions) are not steps");
            }
        }

        private void Reasoning(JsonElement payload, DateTimeOffset? ts)
        {
            var text = new StringBuilder();
            foreach (string key in (string[])["content", "summary"])
            {
                if (Arr(payload, key, "payload") is JsonElement parts)
                {
                    int i = 0;
                    foreach (JsonElement part in parts.EnumerateArray())
                    {
                        string path = $"payload.{key}[{i++}]";
                        RequireObject(part, path);
                        if (Str(part, "text", path) is string t && t.Length > 0)
                        {
                            if (text.Length > 0)
                            {
                                text.Append('\n');
                            }

                            text.Append(t);
                        }
                    }
                }

                if (text.Length > 0)
                {
                    break;
                }
            }

            if (text.Length > 0)
            {
                _steps.Add(new ThinkingStep(text.ToString()) { Timestamp = ts });
            }
            else if (Has(payload, "encrypted_content", out _))
            {
                notes.Count("encrypted-reasoning", "encrypted reasoning with no summary was dropped");
            }
        }

        private void EventMsg(JsonElement payload, DateTimeOffset? ts)
        {
            string kind = ReqStr(payload, "type", "payload");
            switch (kind)
            {
                case "token_count":
                    TokenCount(payload);
                    break;
                case "task_started" or "turn_started":
                    _inTurn = true;
                    break;
                case "task_complete" or "turn_complete" or "turn_aborted":
                    _inTurn = false;
                    if (ts is not null)
                    {
                        _last = ts;
                    }

                    break;
                default:
                    notes.Count("ignored-event", $"'{kind}' events repeat response items or are UI events");
                    break;
            }
        }

        private void TokenCount(JsonElement payload)
        {
            if (Obj(payload, "info", "payload") is not JsonElement info)
            {
                return;
            }

            if (Obj(info, "total_token_usage", "payload.info") is JsonElement total)
            {
                long? sum = Long(total, "total_tokens", "payload.info.total_token_usage");
                if (sum is not null && sum == _lastTotal)
                {
                    return; // Codex repeats a token count when nothing new was spent
                }

                _lastTotal = sum;
            }

            if (Obj(info, "last_token_usage", "payload.info") is not JsonElement last)
            {
                return;
            }

            const string path = "payload.info.last_token_usage";
            var usage = new Usage(
                Long(last, "input_tokens", path) ?? 0,
                Long(last, "output_tokens", path) ?? 0,
                Long(last, "cached_input_tokens", path) ?? 0);
            // A count follows each model call: it belongs to the message that call wrote; calls that only
            // made tool calls carry their usage to the next message, so the sums stay exact.
            if (_agentSinceCount?.Step is AgentStep agent)
            {
                _agentSinceCount.Step = agent with { Usage = (agent.Usage ?? Usage.Zero) + (_carry ?? Usage.Zero) + usage };
                _carry = null;
                _agentSinceCount = null;
            }
            else
            {
                _carry = (_carry ?? Usage.Zero) + usage;
            }
        }

        private static string ContentText(JsonElement payload)
        {
            if (!Has(payload, "content", out JsonElement content))
            {
                return string.Empty;
            }

            if (content.ValueKind == JsonValueKind.String)
            {
                return content.GetString()!;
            }

            if (content.ValueKind != JsonValueKind.Array)
            {
                throw Wrong("payload", "content", "a string or an array", content);
            }

            var text = new StringBuilder();
            int i = 0;
            foreach (JsonElement part in content.EnumerateArray())
            {
                string path = $"payload.content[{i++}]";
                RequireObject(part, path);
                if (Str(part, "text", path) is string t)
                {
                    if (text.Length > 0)
                    {
                        text.Append('\n');
                    }

                    text.Append(t);
                }
            }

            return text.ToString();
        }

        private static bool IsInjectedContext(string text)
        {
            string t = text.TrimStart();
            return t.StartsWith("<environment_context>", StringComparison.Ordinal)
                || t.StartsWith("<user_instructions>", StringComparison.Ordinal)
                || t.StartsWith("# AGENTS.md instructions", StringComparison.Ordinal)
                || t.StartsWith("<INSTRUCTIONS>", StringComparison.Ordinal);
        }

        /// <summary>
        /// Tool output as Codex wrote it: older versions a JSON string <c>{"output", "metadata": {"exit_code",
        /// "duration_seconds"}}</c>, newer ones text headed <c>Exit code: N / Wall time: S seconds / Output:</c>.
        /// </summary>
        private static (string Text, int? Exit, long? DurationMs, bool? Success) ReadOutput(JsonElement output)
        {
            switch (output.ValueKind)
            {
                case JsonValueKind.String:
                    return FromText(output.GetString()!);
                case JsonValueKind.Object:
                    return FromObject(output, "payload.output");
                case JsonValueKind.Array:
                    var text = new StringBuilder();
                    int i = 0;
                    foreach (JsonElement part in output.EnumerateArray())
                    {
                        string path = $"payload.output[{i++}]";
                        RequireObject(part, path);
                        if (Str(part, "text", path) is string t)
                        {
                            text.Append(t);
                        }
                    }

                    return (text.ToString(), null, null, null);
                case JsonValueKind.Undefined or JsonValueKind.Null:
                    return (string.Empty, null, null, null);
                default:
                    throw Wrong("payload", "output", "a string, an object or an array", output);
            }
        }

        private static (string, int?, long?, bool?) FromText(string text)
        {
            string trimmed = text.TrimStart();
            if (trimmed.StartsWith('{'))
            {
                try
                {
                    using JsonDocument doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64 });
                    if (doc.RootElement.ValueKind == JsonValueKind.Object
                        && (doc.RootElement.TryGetProperty("output", out _) || doc.RootElement.TryGetProperty("metadata", out _)))
                    {
                        return FromObject(doc.RootElement, "payload.output");
                    }
                }
                catch (JsonException)
                {
                    // plain text that starts with a brace
                }
            }

            int? exit = null;
            long? durationMs = null;
            string body = text;
            if (text.StartsWith("Exit code: ", StringComparison.Ordinal))
            {
                int lineEnd = text.IndexOf('\n', StringComparison.Ordinal);
                string first = lineEnd < 0 ? text : text[..lineEnd];
                if (int.TryParse(first.AsSpan("Exit code: ".Length), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int code))
                {
                    exit = code;
                }

                int wall = text.IndexOf("Wall time: ", StringComparison.Ordinal);
                if (wall >= 0)
                {
                    int end = text.IndexOf(' ', wall + "Wall time: ".Length);
                    if (end > 0 && double.TryParse(text.AsSpan(wall + "Wall time: ".Length, end - wall - "Wall time: ".Length), NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds)
                        && seconds >= 0 && seconds < 1e9)
                    {
                        durationMs = (long)(seconds * 1000);
                    }
                }

                int marker = text.IndexOf("Output:\n", StringComparison.Ordinal);
                if (marker >= 0)
                {
                    body = text[(marker + "Output:\n".Length)..];
                }
            }

            return (body, exit, durationMs, null);
        }

        private static (string, int?, long?, bool?) FromObject(JsonElement obj, string path)
        {
            string text = Has(obj, "output", out JsonElement o) ? TextOf(o)
                : Has(obj, "content", out JsonElement c) ? TextOf(c) : string.Empty;
            bool? success = Bool(obj, "success", path);
            int? exit = null;
            long? durationMs = null;
            if (Obj(obj, "metadata", path) is JsonElement meta)
            {
                long? e = Long(meta, "exit_code", path + ".metadata");
                exit = e is long v && v >= int.MinValue && v <= int.MaxValue ? (int)v : null;
                double? seconds = Double(meta, "duration_seconds", path + ".metadata");
                durationMs = seconds is double s && s >= 0 && s < 1e9 ? (long)(s * 1000) : null;
            }

            return (text, exit, durationMs, success);
        }
    }
}
