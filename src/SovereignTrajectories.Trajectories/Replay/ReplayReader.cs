using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SovereignTrajectories.Nostr.Crypto;
using SovereignTrajectories.Trajectories.Ingest;
using SovereignTrajectories.Trajectories.Json;
using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Trajectories.Replay;

/// <summary>
/// Reads REPLAY.jsonl v1 into the model: what <see cref="ReplayWriter"/> writes, and the
/// OpenAgents form it follows (hash-only <c>ToolResult</c>s, an <c>event</c> discriminator).
/// Unknown event types and fields are ignored with a note; bad input throws
/// <see cref="IngestException"/> naming the file, line and field.
/// </summary>
public sealed class ReplayReader : ITrajectoryReader
{
    private static readonly FrozenDictionary<string, FrozenSet<string>> KnownFields = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [ReplayEventTypes.Header] = ["type", "replay_version", "producer", "created_at"],
        [ReplayEventTypes.SessionStart] = ["type", "ts", "session_id", "policy_bundle_id", "agent", "model", "repo", "participants", "tick", "visibility", "lane"],
        [ReplayEventTypes.ToolCall] = ["type", "ts", "session_id", "step_id", "tool", "call_id", "params", "params_hash", "confidence", "signature"],
        [ReplayEventTypes.ToolResult] = ["type", "ts", "session_id", "step_id", "id", "ok", "output", "output_hash", "latency_ms", "side_effects", "truncated", "error", "step_utility"],
        [ReplayEventTypes.Verification] = ["type", "ts", "session_id", "step_id", "command", "kind", "exit_code", "passed", "failed", "skipped", "duration_ms", "output", "output_hash", "statement", "statement_sha256", "confidence", "signature", "cwd", "verification_delta"],
        [ReplayEventTypes.StepComplete] = ["type", "ts", "session_id", "step_id", "step_type", "step"],
        [ReplayEventTypes.Payment] = ["type", "ts", "session_id", "amount_msat", "rail", "bolt11", "payment_hash", "preimage", "direction", "status", "memo"],
        [ReplayEventTypes.SessionEnd] = ["type", "ts", "session_id", "status", "confidence", "summary", "total_tool_calls", "total_latency_ms"],
    }.ToFrozenDictionary(p => p.Key, p => p.Value.ToFrozenSet(StringComparer.Ordinal), StringComparer.Ordinal);

    public TrajectoryFormat Format => TrajectoryFormat.Replay;

    public async Task<IngestResult> ReadAsync(Stream input, string sourceName, IngestOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        using var reader = new StreamReader(input, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        Trajectory t = await ReadAsync(reader, sourceName, options, cancellationToken).ConfigureAwait(false);
        return new IngestResult(TrajectoryFormat.Replay, sourceName, [t], ValueList<TrajectoryNote>.Empty);
    }

    /// <summary>Reads one REPLAY.jsonl file from text.</summary>
    public static Trajectory Read(string jsonl, string sourceName = "REPLAY.jsonl")
    {
        ArgumentNullException.ThrowIfNull(jsonl);
        using var reader = new StringReader(jsonl);
        return ReadAsync(reader, sourceName, IngestOptions.Default, CancellationToken.None).GetAwaiter().GetResult();
    }

    public static async Task<Trajectory> ReadAsync(TextReader reader, string sourceName, IngestOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(options);
        var state = new ReadState(sourceName);
        long lineNumber = 0;
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DecoderFallbackException ex)
            {
                throw new IngestException(sourceName, lineNumber + 1, null, "not valid UTF-8", ex);
            }

            if (line is null)
            {
                break;
            }

            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (line.Length > options.MaxLineBytes)
            {
                throw new IngestException(sourceName, lineNumber, null, $"line is longer than the {options.MaxLineBytes}-byte limit");
            }

            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = options.MaxDepth });
            }
            catch (JsonException ex)
            {
                throw new IngestException(sourceName, lineNumber, null, "not JSON: " + ex.Message, ex);
            }

            using (doc)
            {
                state.Line(doc.RootElement, lineNumber);
            }
        }

        return state.Finish();
    }

    private sealed class ReadState(string source)
    {
        private readonly List<Slot> _slots = [];
        private readonly Dictionary<string, Slot> _openCalls = new(StringComparer.Ordinal);
        private readonly List<Payment> _payments = [];
        private readonly List<TrajectoryNote> _notes = [];
        private readonly HashSet<string> _notedFields = new(StringComparer.Ordinal);
        private bool _header;
        private SessionInfo? _session;
        private DateTimeOffset? _headerCreatedAt;
        private DateTimeOffset? _endedAt;

        public void Line(JsonElement root, long line)
        {
            var f = new LineFields(root, source, line);
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new IngestException(source, line, null, $"a line must be a JSON object, found {root.ValueKind}");
            }

            string? type = f.OptString("type");
            if (type is null && f.OptString("event") is { } legacy)
            {
                type = legacy;
                Note("event-discriminator", "lines use \"event\" instead of \"type\"", line);
            }

            if (type is null)
            {
                throw new IngestException(source, line, "type", "missing");
            }

            if (!_header)
            {
                if (type != ReplayEventTypes.Header)
                {
                    throw new IngestException(source, line, "type", $"the first line must be a ReplayHeader, found '{type}'");
                }

                long version = f.Long("replay_version");
                if (version != ReplayEventTypes.Version)
                {
                    throw new IngestException(source, line, "replay_version", $"version {version} is not supported; only 1 is");
                }

                _headerCreatedAt = f.OptTime("created_at");
                _header = true;
                NoteUnknownFields(root, type, line);
                return;
            }

            if (!KnownFields.ContainsKey(type))
            {
                Note("unknown-event", $"event type '{type}' ignored", line);
                return;
            }

            NoteUnknownFields(root, type, line);
            switch (type)
            {
                case ReplayEventTypes.Header:
                    throw new IngestException(source, line, "type", "a second ReplayHeader");
                case ReplayEventTypes.SessionStart:
                    SessionStart(f, line);
                    break;
                case ReplayEventTypes.ToolCall:
                    ToolCall(f);
                    break;
                case ReplayEventTypes.ToolResult:
                    ToolResult(f, line);
                    break;
                case ReplayEventTypes.Verification:
                    _slots.Add(new Slot(WithDecision(Verification(f, line), f)));
                    break;
                case ReplayEventTypes.StepComplete:
                    JsonElement step = f.Object("step");
                    var notes = new List<TrajectoryNote>();
                    Step read;
                    try
                    {
                        read = StepContentReader.Read(step.GetRawText(), f.OptString("step_type"), $"{source}:{line}", notes);
                    }
                    catch (TrajectoryFormatException ex)
                    {
                        throw new IngestException(source, line, "step." + ex.Field.Replace("content.", string.Empty, StringComparison.Ordinal), ex.Reason, ex);
                    }

                    _notes.AddRange(notes);
                    _slots.Add(new Slot(read));
                    break;
                case ReplayEventTypes.Payment:
                    _payments.Add(new Payment(f.Long("amount_msat"))
                    {
                        Timestamp = f.OptTime("ts"),
                        Rail = f.OptString("rail"),
                        Bolt11 = f.OptString("bolt11"),
                        PaymentHash = f.OptString("payment_hash"),
                        Preimage = f.OptString("preimage"),
                        Direction = f.OptString("direction"),
                        Status = f.OptString("status"),
                        Memo = f.OptString("memo"),
                    });
                    break;
                case ReplayEventTypes.SessionEnd:
                    _endedAt = f.OptTime("ts") ?? throw new IngestException(source, line, "ts", "SessionEnd needs the end time");
                    break;
            }
        }

        public Trajectory Finish()
        {
            if (!_header)
            {
                throw new IngestException(source, null, null, "empty: no ReplayHeader line");
            }

            if (_session is null)
            {
                throw new IngestException(source, null, "SessionStart", "no SessionStart line");
            }

            var steps = new List<Step>(_slots.Count);
            foreach (Slot slot in _slots)
            {
                if (slot.Step is not null)
                {
                    steps.Add(slot.Step);
                }
                else
                {
                    PendingCall call = slot.Call!;
                    _notes.Add(new TrajectoryNote("tool-call-without-result", $"ToolCall {call.StepId} has no ToolResult; read as tool_start", source));
                    steps.Add(new ToolStartStep(call.Name, call.CallId) { InputJson = call.InputJson, Timestamp = call.Timestamp, Confidence = call.Confidence, Signature = call.Signature });
                }
            }

            SessionInfo session = _session with { EndedAt = _endedAt };
            return Trajectory.Create(session, steps) with { Payments = ValueList.From(_payments), Notes = ValueList.From(_notes) };
        }

        private void SessionStart(LineFields f, long line)
        {
            if (_session is not null)
            {
                throw new IngestException(source, line, "type", "a second SessionStart");
            }

            string rawSid = f.String("session_id");
            string sid = SessionIds.IsValid(rawSid) ? rawSid : SessionIds.Sanitize(rawSid);
            if (sid != rawSid)
            {
                Note("sid-sanitised", $"session_id '{rawSid}' sanitised to '{sid}'", line);
            }

            DateTimeOffset started = f.OptTime("ts") ?? _headerCreatedAt
                ?? throw new IngestException(source, line, "ts", "SessionStart has no time and the header no created_at");
            AgentInfo? agent = null;
            if (f.OptObject("agent") is { } agentElement)
            {
                var a = new LineFields(agentElement, source, line, "agent.");
                agent = new AgentInfo(a.String("name"), a.OptString("version"));
            }

            string? repo = null;
            string? sha = null;
            if (f.OptObject("repo") is { } repoElement)
            {
                var r = new LineFields(repoElement, source, line, "repo.");
                repo = r.OptString("remote");
                sha = r.OptString("commit");
            }

            TrajectoryVisibility visibility = TrajectoryVisibility.Public;
            string? visibilityText = f.OptString("visibility");
            if (visibilityText is not null && !WireNames.TryParseVisibility(visibilityText, out visibility))
            {
                throw new IngestException(source, line, "visibility", $"'{visibilityText}' is not public or private");
            }

            _session = new SessionInfo(sid, started)
            {
                Agent = agent,
                Model = f.OptString("model") ?? "unknown",
                Repo = repo,
                Sha = sha,
                Participants = f.OptStringArray("participants"),
                Tick = f.OptString("tick"),
                Visibility = visibility,
            };
        }

        private void ToolCall(LineFields f)
        {
            string stepId = f.String("step_id");
            var call = new PendingCall(
                stepId,
                f.String("tool"),
                f.OptString("call_id") ?? stepId,
                f.OptRawJson("params") ?? "{}",
                f.OptTime("ts"),
                f.OptDouble("confidence"),
                f.OptString("signature"));
            var slot = new Slot(null) { Call = call };
            _slots.Add(slot);
            _openCalls[stepId] = slot;
        }

        private void ToolResult(LineFields f, long line)
        {
            string stepId = f.OptString("step_id") ?? f.String("id");
            if (!_openCalls.Remove(stepId, out Slot? slot))
            {
                Note("result-without-call", $"ToolResult {stepId} has no earlier ToolCall; ignored", line);
                return;
            }

            PendingCall call = slot.Call!;
            string? output = f.OptString("output");
            string? hash = f.OptString("output_hash") is { } h ? StripSha256(h) : null;
            bool truncated = f.OptBool("truncated") ?? false;
            if (output is null)
            {
                Note("output-withheld", $"ToolResult {stepId} has only an output hash", line);
            }

            string? published = output is not null && !truncated && hash == Sha256.HexOfUtf8(output) ? null : hash;
            if (output is not null && !truncated && hash is not null && published is not null)
            {
                throw new IngestException(source, line, "output_hash", "does not hash the output, which is not marked truncated");
            }

            slot.Step = new ToolStep(call.Name, call.CallId, call.InputJson, output ?? string.Empty, f.OptBool("ok") ?? true)
            {
                Timestamp = call.Timestamp,
                LatencyMs = f.OptLong("latency_ms"),
                OutputTruncated = truncated || output is null,
                OutputSha256 = published,
                Confidence = call.Confidence,
                Signature = call.Signature,
            };
        }

        private VerificationStep Verification(LineFields f, long line)
        {
            string kindText = f.OptString("kind") ?? "other";
            if (!WireNames.TryParseKind(kindText, out VerificationKind kind))
            {
                throw new IngestException(source, line, "kind", $"'{kindText}' is not test, build, lint or other");
            }

            InTotoStatement? statement = null;
            if (f.OptString("statement") is { } b64)
            {
                try
                {
                    statement = new InTotoStatement(Convert.FromBase64String(b64));
                }
                catch (FormatException ex)
                {
                    throw new IngestException(source, line, "statement", "not base64", ex);
                }
            }

            string? statementSha = f.OptString("statement_sha256") is { } sha ? StripSha256(sha) : null;
            if (statement is not null && statementSha is not null && statementSha != statement.StatementSha256)
            {
                throw new IngestException(source, line, "statement_sha256", "does not hash the statement bytes");
            }

            string? output = f.OptString("output");
            return new VerificationStep(f.String("command"), kind, (int)f.Long("exit_code"))
            {
                Timestamp = f.OptTime("ts"),
                Passed = (int)(f.OptLong("passed") ?? 0),
                Failed = (int)(f.OptLong("failed") ?? 0),
                Skipped = (int)(f.OptLong("skipped") ?? 0),
                DurationMs = f.OptLong("duration_ms"),
                Output = output,
                OutputSha256 = output is null && f.OptString("output_hash") is { } oh ? StripSha256(oh) : null,
                Statement = statement,
                StatementSha256 = statement is null ? statementSha : null,
            };
        }

        private static Step WithDecision(Step step, LineFields f) =>
            step with { Confidence = f.OptDouble("confidence"), Signature = f.OptString("signature") };

        private void NoteUnknownFields(JsonElement root, string type, long line)
        {
            FrozenSet<string> known = KnownFields[type];
            foreach (JsonProperty p in root.EnumerateObject())
            {
                if (!known.Contains(p.Name) && p.Name != "event" && _notedFields.Add(type + "." + p.Name))
                {
                    Note("unknown-field", $"{type} field '{p.Name}' ignored", line);
                }
            }
        }

        private void Note(string code, string message, long line) =>
            _notes.Add(new TrajectoryNote(code, message, $"{source}:{line.ToString(CultureInfo.InvariantCulture)}"));

        private static string StripSha256(string value) =>
            value.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase) ? value[7..] : value;
    }

    private sealed record PendingCall(string StepId, string Name, string CallId, string InputJson, DateTimeOffset? Timestamp, double? Confidence, string? Signature);

    private sealed class Slot(Step? step)
    {
        public Step? Step { get; set; } = step;

        public PendingCall? Call { get; init; }
    }

    /// <summary>Typed access to one line's fields; errors name the file, line and field.</summary>
    private readonly struct LineFields(JsonElement root, string source, long line, string prefix = "")
    {
        public string String(string name) => OptString(name) ?? throw Missing(name);

        public string? OptString(string name) => Get(name) is { } e
            ? e.ValueKind == JsonValueKind.String ? e.GetString() : throw Wrong(name, "a string", e)
            : null;

        public long Long(string name) => OptLong(name) ?? throw Missing(name);

        public long? OptLong(string name) => Get(name) is { } e
            ? e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out long v) ? v : throw Wrong(name, "an integer", e)
            : null;

        public double? OptDouble(string name) => Get(name) is { } e
            ? e.ValueKind == JsonValueKind.Number ? e.GetDouble() : throw Wrong(name, "a number", e)
            : null;

        public bool? OptBool(string name) => Get(name) is { } e
            ? e.ValueKind switch { JsonValueKind.True => true, JsonValueKind.False => false, _ => throw Wrong(name, "a boolean", e) }
            : null;

        public DateTimeOffset? OptTime(string name)
        {
            string? text = OptString(name);
            if (text is null)
            {
                return null;
            }

            return Rfc3339.TryParse(text, out DateTimeOffset t)
                ? t
                : throw new IngestException(source, line, prefix + name, $"'{Rfc3339.Shorten(text)}' is not an ISO 8601 / RFC 3339 time");
        }

        public JsonElement Object(string name) => OptObject(name) ?? throw Missing(name);

        public JsonElement? OptObject(string name) => Get(name) is { } e
            ? e.ValueKind == JsonValueKind.Object ? e : throw Wrong(name, "an object", e)
            : null;

        public string? OptRawJson(string name) => Get(name) is { } e ? CompactJson.Normalize(e.GetRawText(), prefix + name) : null;

        public ValueList<string> OptStringArray(string name)
        {
            if (Get(name) is not { } e)
            {
                return ValueList<string>.Empty;
            }

            if (e.ValueKind != JsonValueKind.Array)
            {
                throw Wrong(name, "an array of strings", e);
            }

            var items = new List<string>();
            foreach (JsonElement item in e.EnumerateArray())
            {
                items.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw Wrong(name, "an array of strings", item));
            }

            return ValueList.From(items);
        }

        private JsonElement? Get(string name) =>
            root.TryGetProperty(name, out JsonElement e) && e.ValueKind != JsonValueKind.Null ? e : null;

        private IngestException Missing(string name) => new(source, line, prefix + name, "missing");

        private IngestException Wrong(string name, string expected, JsonElement found) =>
            new(source, line, prefix + name, $"must be {expected}, found {found.ValueKind}");
    }
}
