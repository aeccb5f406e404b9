using System.Globalization;
using System.Text;
using System.Text.Json;
using SovereignTrajectories.Nostr.Crypto;
using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Trajectories.Ingest.Otlp;

/// <summary>
/// Maps the spans of one trace to a trajectory. <c>chat</c> (inference) spans give the new user
/// messages of their input, then thinking and agent steps from their output, with usage;
/// <c>execute_tool</c> spans give tool steps (plus verification companions); nested
/// <c>invoke_agent</c> spans give subagent steps; <c>gen_ai.evaluation.result</c> events give reward
/// steps (feedback names or accept/reject labels) or verification steps (other evaluations).
/// Steps are ordered by time. The run is complete when the trace's root span is present
/// (spans are exported only once ended, so a missing root means the run had not finished).
/// </summary>
internal static class OtlpTraceMapper
{
    private static readonly HashSet<string> InferenceOperations = new(StringComparer.Ordinal)
    {
        "chat", "text_completion", "generate_content",
    };

    public static Trajectory Map(string traceId, List<OtlpSpan> spans, string source, IngestOptions options)
    {
        var notes = new NoteList();
        spans.Sort((a, b) => a.Start.CompareTo(b.Start));
        var spanIds = spans.Select(s => s.SpanId).ToHashSet(StringComparer.Ordinal);
        OtlpSpan? root = spans.FirstOrDefault(s => s.ParentSpanId is null);
        OtlpSpan? agentSpan = spans.FirstOrDefault(s => s.Operation == "invoke_agent");
        var timeline = new List<(DateTimeOffset At, int Order, Step Step)>();
        int order = 0;
        int usersSeen = 0;
        string? model = null;

        foreach (OtlpSpan span in spans)
        {
            try
            {
                MapSpan(span);
            }
            catch (BadFieldException ex)
            {
                throw new IngestException(source, span.Line, ex.Field, $"span {span.SpanId}: {ex.Problem}", ex);
            }
            catch (InvalidOperationException ex)
            {
                throw new IngestException(source, span.Line, null, $"span {span.SpanId}: unreadable JSON text ({ex.Message})", ex);
            }
        }

        void MapSpan(OtlpSpan span)
        {
            string location = $"{source}:{span.Line}";
            switch (span.Operation)
            {
                case "invoke_agent" when span != agentSpan:
                    timeline.Add((span.Start, order++, new SubagentStep(span.Str("gen_ai.agent.name") ?? span.Name)
                    {
                        Query = span.Str("gen_ai.input.messages"),
                        Result = span.Str("gen_ai.output.messages"),
                        Timestamp = span.Start,
                    }));
                    break;
                case string op when InferenceOperations.Contains(op):
                    model ??= span.Str("gen_ai.response.model") ?? span.Str("gen_ai.request.model");
                    Inference(span, timeline, ref order, ref usersSeen, notes, location);
                    break;
                case "execute_tool":
                    Tool(span, timeline, ref order, options);
                    break;
                case "invoke_agent" or null:
                    break;
                default:
                    notes.Count("ignored-span", $"'{span.Operation}' spans are not steps");
                    break;
            }

            foreach (OtlpEvent ev in span.Events)
            {
                if (ev.Name == "gen_ai.evaluation.result")
                {
                    timeline.Add((ev.Time, order++, Evaluation(ev, span, location)));
                }
            }

            if (span.ParentSpanId is not null && !spanIds.Contains(span.ParentSpanId))
            {
                notes.Count("missing-parent", "spans whose parent span is not in the file");
            }
        }

        timeline.Sort((a, b) => a.At != b.At ? a.At.CompareTo(b.At) : a.Order.CompareTo(b.Order));
        OtlpSpan first = spans[0];
        DateTimeOffset started = root?.Start ?? first.Start;
        DateTimeOffset? ended = root?.End ?? (root is null ? null : spans.Max(s => s.End ?? s.Start));
        if (root is null)
        {
            notes.Add("incomplete", "the trace has no root span: the run had not ended when it was exported", source);
        }

        OtlpSpan info = agentSpan ?? root ?? first;
        var session = new SessionInfo(traceId, started)
        {
            EndedAt = ended,
            Agent = new AgentInfo(info.Str("gen_ai.agent.name") ?? info.ServiceName ?? "unknown", info.ServiceVersion),
            Model = agentSpan?.Str("gen_ai.request.model") ?? model ?? "unknown",
        };
        return Trajectory.Create(session, timeline.Select(t => t.Step)) with { Notes = notes.ToList(source) };
    }

    private static void Inference(OtlpSpan span, List<(DateTimeOffset, int, Step)> timeline, ref int order, ref int usersSeen, NoteList notes, string location)
    {
        // Each call's input repeats the conversation so far: only user messages beyond those seen are new.
        List<(string Role, string Text, List<(string Type, string Text)> Parts)> input = Messages(span, "gen_ai.input.messages", "gen_ai.prompt", location);
        int users = 0;
        foreach ((string role, string userText, _) in input)
        {
            if (role == "user")
            {
                users++;
                if (users > usersSeen)
                {
                    timeline.Add((span.Start, order++, new UserStep(userText) { Timestamp = span.Start }));
                }
            }
        }

        usersSeen = Math.Max(usersSeen, users);
        DateTimeOffset at = span.End ?? span.Start;
        var text = new StringBuilder();
        foreach ((string role, string messageText, List<(string Type, string Text)> parts) in Messages(span, "gen_ai.output.messages", "gen_ai.completion", location))
        {
            if (role is not ("assistant" or "model" or ""))
            {
                continue;
            }

            foreach ((string type, string partText) in parts)
            {
                if (type is "reasoning" or "thinking")
                {
                    timeline.Add((at, order++, new ThinkingStep(partText) { Timestamp = at }));
                }
            }

            if (messageText.Length > 0)
            {
                if (text.Length > 0)
                {
                    text.Append('\n');
                }

                text.Append(messageText);
            }
        }

        long? inputTokens = span.Int("gen_ai.usage.input_tokens");
        long? outputTokens = span.Int("gen_ai.usage.output_tokens");
        long? cached = span.Int("gen_ai.usage.cache_read.input_tokens") ?? span.Int("gen_ai.usage.cache_read_input_tokens");
        Usage? usage = inputTokens is null && outputTokens is null ? null : new Usage(inputTokens ?? 0, outputTokens ?? 0, cached ?? 0);
        if (text.Length == 0 && !span.Attributes.ContainsKey("gen_ai.output.messages") && !span.Attributes.ContainsKey("gen_ai.completion.0.content"))
        {
            notes.Count("no-content", "inference spans without captured messages (content capture is opt-in) kept as usage-only agent steps");
        }

        if (text.Length > 0 || usage is not null)
        {
            timeline.Add((at, order++, new AgentStep(text.ToString())
            {
                Model = span.Str("gen_ai.response.model") ?? span.Str("gen_ai.request.model"),
                Usage = usage,
                Timestamp = at,
            }));
        }
    }

    private static void Tool(OtlpSpan span, List<(DateTimeOffset, int, Step)> timeline, ref int order, IngestOptions options)
    {
        string name = span.Str("gen_ai.tool.name") ?? (span.Name.StartsWith("execute_tool ", StringComparison.Ordinal) ? span.Name["execute_tool ".Length..] : span.Name);
        string callId = span.Str("gen_ai.tool.call.id") ?? span.SpanId;
        string? args = span.Str("gen_ai.tool.call.arguments");
        string inputJson = args is null ? "{}" : IngestIds.InputJsonFromText(args);
        string output = span.Str("gen_ai.tool.call.result") ?? span.StatusMessage ?? string.Empty;
        long? latency = span.End is DateTimeOffset end ? (long)(end - span.Start).TotalMilliseconds : null;
        long? exit = span.Int("process.exit.code");
        var tool = new ToolStep(name, callId, inputJson, output, !span.IsError) { LatencyMs = latency, Timestamp = span.Start };
        timeline.Add((span.Start, order++, tool));
        int? exitCode = exit is long e && e is >= int.MinValue and <= int.MaxValue ? (int)e : null;
        if (VerificationExtractor.TryCreate(tool, options, exitCode, latency) is VerificationStep verification)
        {
            timeline.Add((span.Start, order++, verification with { Timestamp = span.End ?? span.Start }));
        }
    }

    private static Step Evaluation(OtlpEvent ev, OtlpSpan span, string location)
    {
        string name = ev.Str("gen_ai.evaluation.name") ?? "evaluation";
        string? label = ev.Str("gen_ai.evaluation.score.label");
        double? score = ev.Double("gen_ai.evaluation.score.value");
        string? explanation = ev.Str("gen_ai.evaluation.explanation");
        bool isFeedback = name.Contains("feedback", StringComparison.OrdinalIgnoreCase) || name.Contains("reward", StringComparison.OrdinalIgnoreCase);
        if (label is not null && Enum.TryParse(label, ignoreCase: true, out RewardSignal signal) && Enum.IsDefined(signal) && !char.IsDigit(label[0]))
        {
            return Reward(signal, score, explanation, ev.Time);
        }

        if (isFeedback)
        {
            return Reward(RewardSignal.Score, score, explanation, ev.Time);
        }

        bool passed = label?.ToLowerInvariant() switch
        {
            "pass" or "passed" or "true" or "correct" or "success" or "ok" or "relevant" => true,
            "fail" or "failed" or "false" or "incorrect" or "failure" or "irrelevant" => false,
            _ => score is double s && s >= 0.5,
        };
        string evidence = $"{name} {label} {score?.ToString(CultureInfo.InvariantCulture)} {explanation}";
        string outputSha = Sha256.HexOfUtf8(evidence);
        return new VerificationStep(name, VerificationKind.Other, passed ? 0 : 1)
        {
            Passed = passed ? 1 : 0,
            Failed = passed ? 0 : 1,
            Output = evidence,
            OutputSha256 = outputSha,
            Timestamp = ev.Time,
        };
    }

    private static RewardStep Reward(RewardSignal signal, double? score, string? comment, DateTimeOffset at)
    {
        double value = score ?? signal switch
        {
            RewardSignal.Accept => 1,
            RewardSignal.Reject or RewardSignal.Abandon => -1,
            _ => 0,
        };
        return new RewardStep(signal, Math.Clamp(value, -1, 1), RewardSource.Explicit) { Comment = comment, Timestamp = at };
    }

    /// <summary>
    /// Messages of a span: the JSON <c>gen_ai.input.messages</c>/<c>output.messages</c> attribute
    /// (<c>[{role, parts:[{type, content}]}]</c>) or the older indexed <c>gen_ai.prompt.N.role/content</c> form.
    /// Returns role, joined text parts, and all parts.
    /// </summary>
    private static List<(string Role, string Text, List<(string Type, string Text)> Parts)> Messages(OtlpSpan span, string key, string legacyPrefix, string location)
    {
        var result = new List<(string, string, List<(string, string)>)>();
        string? json = span.Str(key);
        if (json is not null)
        {
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
            }
            catch (JsonException ex)
            {
                throw new BadFieldException(key, $"not valid JSON ({ex.Message})");
            }

            using (doc)
            {
                if (doc.RootElement.ValueKind != JsonValueKind.Array)
                {
                    throw new BadFieldException(key, $"expected a JSON array of messages, found {JsonFields.Describe(doc.RootElement.ValueKind)}");
                }

                int i = 0;
                foreach (JsonElement message in doc.RootElement.EnumerateArray())
                {
                    string path = $"{key}[{i++}]";
                    JsonFields.RequireObject(message, path);
                    string role = JsonFields.Str(message, "role", path) ?? string.Empty;
                    var parts = new List<(string, string)>();
                    var text = new StringBuilder();
                    if (JsonFields.Arr(message, "parts", path) is JsonElement partArray)
                    {
                        int p = 0;
                        foreach (JsonElement part in partArray.EnumerateArray())
                        {
                            string partPath = $"{path}.parts[{p++}]";
                            JsonFields.RequireObject(part, partPath);
                            string type = JsonFields.Str(part, "type", partPath) ?? "text";
                            string content = JsonFields.Has(part, "content", out JsonElement c) ? JsonFields.TextOf(c) : string.Empty;
                            parts.Add((type, content));
                            if (type == "text")
                            {
                                if (text.Length > 0)
                                {
                                    text.Append('\n');
                                }

                                text.Append(content);
                            }
                        }
                    }
                    else if (JsonFields.Has(message, "content", out JsonElement content))
                    {
                        text.Append(JsonFields.TextOf(content));
                    }

                    result.Add((role, text.ToString(), parts));
                }
            }

            return result;
        }

        for (int i = 0; i < 10_000; i++)
        {
            string? content = span.Str($"{legacyPrefix}.{i}.content");
            string? role = span.Str($"{legacyPrefix}.{i}.role");
            if (content is null && role is null)
            {
                break;
            }

            result.Add((role ?? string.Empty, content ?? string.Empty, []));
        }

        return result;
    }
}
