using System.Globalization;
using System.Text;
using System.Text.Json;
using SovereignTrajectories.Trajectories.Model;
using static SovereignTrajectories.Trajectories.Ingest.JsonFields;

namespace SovereignTrajectories.Trajectories.Ingest.Atif;

/// <summary>
/// ATIF (Agent Trajectory Interchange Format, Harbor RFC 0001) v1.0 to v1.7 documents: each agent
/// step becomes its thinking (<c>reasoning_content</c>), its message with <c>metrics</c> as usage, then its
/// <c>tool_calls</c> paired with <c>observation.results</c> by <c>source_call_id</c>. A document is read
/// whole (up to <see cref="IngestOptions.MaxDocumentBytes"/>); it has no lines to skip, so any bad field
/// is an error.
/// </summary>
public sealed class AtifReader : ITrajectoryReader
{
    private const int NewestKnownMinor = 7;

    public TrajectoryFormat Format => TrajectoryFormat.Atif;

    public async Task<IngestResult> ReadAsync(Stream input, string sourceName, IngestOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        JsonDocument doc;
        try
        {
            doc = await JsonDocument.ParseAsync(
                new LimitedReadStream(input, options.MaxDocumentBytes, sourceName),
                new JsonDocumentOptions { MaxDepth = options.MaxDepth },
                cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw new IngestException(sourceName, ex.LineNumber + 1, ex.Path is null or "$" ? null : ex.Path, $"not valid JSON, truncated? ({ex.Message})", ex);
        }

        using (doc)
        {
            try
            {
                var notes = new NoteList();
                Trajectory trajectory = Read(doc.RootElement, sourceName, options, notes);
                return new IngestResult(TrajectoryFormat.Atif, sourceName, [trajectory], ValueList<TrajectoryNote>.Empty);
            }
            catch (BadFieldException ex)
            {
                throw new IngestException(sourceName, null, ex.Field, ex.Problem, ex);
            }
            catch (InvalidOperationException ex)
            {
                throw new IngestException(sourceName, null, null, $"unreadable JSON text ({ex.Message})", ex);
            }
        }
    }

    private static Trajectory Read(JsonElement root, string source, IngestOptions options, NoteList notes)
    {
        RequireObject(root, "");
        string version = ReqStr(root, "schema_version", "");
        CheckVersion(version, source, notes);
        JsonElement agent = Obj(root, "agent", "") ?? throw new BadFieldException("agent", "is missing");
        string? agentModel = Str(agent, "model_name", "agent");
        JsonElement stepsArray = Arr(root, "steps", "") ?? throw new BadFieldException("steps", "is missing");

        var assembler = new StepAssembler(options, notes);
        DateTimeOffset? first = null;
        DateTimeOffset? last = null;
        string? model = agentModel;
        int index = 0;
        foreach (JsonElement step in stepsArray.EnumerateArray())
        {
            string path = $"steps[{index++}]";
            RequireObject(step, path);
            DateTimeOffset? ts = Time(step, "timestamp", path);
            if (ts is not null)
            {
                first ??= ts;
                last = ts;
            }

            string stepSource = ReqStr(step, "source", path);
            string message = MessageText(step, path);
            string location = $"{source}:{path}";
            switch (stepSource)
            {
                case "user":
                    assembler.Add(new UserStep(message) { Timestamp = ts });
                    break;
                case "agent":
                    string? stepModel = Str(step, "model_name", path) ?? agentModel;
                    model ??= stepModel;
                    Agent(step, path, message, stepModel, ts, location, assembler, notes);
                    break;
                case "system":
                    notes.Count("ignored-step", "system steps (prompts) are not steps");
                    break;
                default:
                    throw new BadFieldException(path + ".source", $"'{stepSource}' is not one of system, user, agent");
            }

            if (Obj(step, "extra", path) is JsonElement extra && Obj(extra, "reward", path + ".extra") is JsonElement reward)
            {
                assembler.Add(Reward(reward, path + ".extra.reward", ts));
            }
        }

        if (Obj(root, "extra", "") is JsonElement rootExtra && Obj(rootExtra, "reward", "extra") is JsonElement runReward)
        {
            assembler.Add(Reward(runReward, "extra.reward", last));
        }

        bool pending = assembler.PendingCalls > 0;
        List<Step> steps = assembler.Build(source);
        bool finished = Has(root, "final_metrics", out _);
        DateTimeOffset started = first ?? options.TimeProvider.GetUtcNow();
        if (first is null)
        {
            notes.Add("no-timestamps", "no step has a timestamp; the session start is the time of reading", source);
        }

        bool complete = finished && !pending;
        if (!complete)
        {
            notes.Add("incomplete", pending ? "the run ended with tool calls unanswered" : "no final_metrics: the run was written before it ended", source);
        }

        var session = new SessionInfo(IngestIds.SessionId(Str(root, "session_id", ""), started, source, notes), started)
        {
            EndedAt = complete ? last ?? started : null,
            Agent = new AgentInfo(ReqStr(agent, "name", "agent"), Str(agent, "version", "agent")),
            Model = model ?? "unknown",
        };
        return Trajectory.Create(session, steps) with { Notes = notes.ToList(source) };
    }

    private static void Agent(JsonElement step, string path, string message, string? model, DateTimeOffset? ts, string location, StepAssembler assembler, NoteList notes)
    {
        if (Has(step, "reasoning_content", out JsonElement reasoning))
        {
            string thinking = reasoning.ValueKind == JsonValueKind.String
                ? reasoning.GetString()!
                : throw Wrong(path, "reasoning_content", "a string", reasoning);
            if (thinking.Length > 0)
            {
                assembler.Add(new ThinkingStep(thinking) { Timestamp = ts });
            }
        }

        Usage? usage = Obj(step, "metrics", path) is JsonElement metrics ? ReadUsage(metrics, path + ".metrics") : null;
        if (message.Length > 0 || usage is not null)
        {
            assembler.Add(new AgentStep(message) { Model = model, Usage = usage, Timestamp = ts });
        }

        var calls = new HashSet<string>(StringComparer.Ordinal);
        if (Arr(step, "tool_calls", path) is JsonElement toolCalls)
        {
            int i = 0;
            foreach (JsonElement call in toolCalls.EnumerateArray())
            {
                string callPath = $"{path}.tool_calls[{i++}]";
                RequireObject(call, callPath);
                string id = ReqStr(call, "tool_call_id", callPath);
                string name = ReqStr(call, "function_name", callPath);
                Has(call, "arguments", out JsonElement args);
                assembler.StartTool(id, name, IngestIds.InputJson(args, callPath + ".arguments"), ts, location);
                calls.Add(id);
            }
        }

        if (Obj(step, "observation", path) is not JsonElement observation
            || Arr(observation, "results", path + ".observation") is not JsonElement results)
        {
            return;
        }

        int r = 0;
        foreach (JsonElement result in results.EnumerateArray())
        {
            string resultPath = $"{path}.observation.results[{r++}]";
            RequireObject(result, resultPath);
            string content = Has(result, "content", out JsonElement c) ? ContentText(c, resultPath + ".content") : string.Empty;
            string? callId = Str(result, "source_call_id", resultPath);
            if (callId is not null && assembler.IsPending(callId))
            {
                assembler.CompleteTool(callId, content, ok: true, location); // ATIF has one time per step: no latency
            }
            else
            {
                notes.Count("observation", "observations not tied to a tool call of their step kept as observation steps");
                assembler.Add(new ObservationStep(callId ?? string.Empty, "done") { Content = content, Timestamp = ts });
            }
        }
    }

    private static RewardStep Reward(JsonElement reward, string path, DateTimeOffset? ts)
    {
        string signalText = ReqStr(reward, "signal", path);
        if (!Enum.TryParse(signalText, ignoreCase: true, out RewardSignal signal) || !Enum.IsDefined(signal) || char.IsDigit(signalText[0]))
        {
            throw new BadFieldException(path + ".signal", $"'{signalText}' is not one of accept, reject, edit, regenerate, abandon, score");
        }

        double value = Double(reward, "value", path) ?? signal switch
        {
            RewardSignal.Accept => 1,
            RewardSignal.Reject or RewardSignal.Abandon => -1,
            _ => 0,
        };
        if (value is < -1 or > 1)
        {
            throw new BadFieldException(path + ".value", $"{value.ToString(CultureInfo.InvariantCulture)} is outside -1..1");
        }

        RewardSource rewardSource = Str(reward, "source", path) == "implicit" ? RewardSource.Implicit : RewardSource.Explicit;
        return new RewardStep(signal, value, rewardSource) { Comment = Str(reward, "comment", path), Timestamp = ts };
    }

    private static Usage ReadUsage(JsonElement metrics, string path)
    {
        double cost = Double(metrics, "cost_usd", path) ?? 0;
        return new Usage(
            Long(metrics, "prompt_tokens", path) ?? 0,
            Long(metrics, "completion_tokens", path) ?? 0,
            Long(metrics, "cached_tokens", path) ?? 0,
            cost is >= 0 and < 1e12 ? (decimal)cost : 0m);
    }

    /// <summary>A step's message: text, or (v1.6+) a list of content parts whose text parts are joined.</summary>
    private static string MessageText(JsonElement step, string path) =>
        Has(step, "message", out JsonElement message) ? ContentText(message, path + ".message") : string.Empty;

    private static string ContentText(JsonElement value, string path)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return value.GetString()!;
            case JsonValueKind.Array:
                var text = new StringBuilder();
                int i = 0;
                foreach (JsonElement part in value.EnumerateArray())
                {
                    string partPath = $"{path}[{i++}]";
                    if (part.ValueKind == JsonValueKind.String)
                    {
                        text.Append(part.GetString());
                        continue;
                    }

                    RequireObject(part, partPath);
                    if (Str(part, "text", partPath) is string t)
                    {
                        if (text.Length > 0)
                        {
                            text.Append('\n');
                        }

                        text.Append(t);
                    }
                }

                return text.ToString();
            case JsonValueKind.Null:
                return string.Empty;
            default:
                throw new BadFieldException(path, $"expected a string or a list of content parts, found {Describe(value.ValueKind)}");
        }
    }

    private static void CheckVersion(string version, string source, NoteList notes)
    {
        const string prefix = "ATIF-v1.";
        if (!version.StartsWith(prefix, StringComparison.Ordinal)
            || !int.TryParse(version.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int minor))
        {
            throw new BadFieldException("schema_version", $"'{IngestIds.Shorten(version)}' is not an ATIF v1.x version");
        }

        if (minor < 4)
        {
            notes.Add("legacy-version", $"{version} predates v1.4; read with the v1.4 field names", source);
        }
        else if (minor > NewestKnownMinor)
        {
            notes.Add("newer-version", $"{version} is newer than v1.{NewestKnownMinor}; unknown fields are ignored", source);
        }
    }
}
