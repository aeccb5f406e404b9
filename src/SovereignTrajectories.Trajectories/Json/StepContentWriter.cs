using SovereignTrajectories.Nostr.Crypto;
using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Trajectories.Json;

/// <summary>
/// Writes a step as its kind 39231 <c>content</c>: compact JSON, <c>type</c> first, then the
/// type's fields in the profile's order, then <c>ts</c>, <c>confidence</c>, <c>signature</c>.
/// What is written is what gets signed and hashed, so the output for a given step never changes.
/// </summary>
public static class StepContentWriter
{
    /// <summary>The content string of <paramref name="step"/>.</summary>
    public static string Write(Step step)
    {
        var writer = new CompactJsonWriter();
        Write(writer, step);
        return writer.ToJsonString();
    }

    /// <summary>Writes the content object of <paramref name="step"/> into <paramref name="writer"/>.</summary>
    public static void Write(CompactJsonWriter writer, Step step)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(step);
        if (step is UnknownStep unknown)
        {
            writer.RawJsonValue(unknown.RawContent, "content");
            return;
        }

        writer.StartObject();
        writer.String("type", step.TypeName);
        switch (step)
        {
            case UserStep s:
                writer.String("content", s.Content);
                break;
            case AgentStep s:
                writer.String("content", s.Content);
                writer.StringIfNotNull("model", s.Model);
                if (s.Usage is { } u)
                {
                    WriteUsage(writer, u);
                }

                break;
            case ThinkingStep s:
                writer.String("content", s.Content);
                writer.StringIfNotNull("hash", s.Hash);
                writer.StringIfNotNull("sig", s.Sig);
                break;
            case ToolStep s:
                writer.String("name", s.Name);
                writer.String("call_id", s.CallId);
                writer.RawJson("input", s.InputJson);
                writer.String("output", s.Output);
                writer.Bool("ok", s.Ok);
                writer.NumberIfNotNull("latency_ms", s.LatencyMs);
                writer.String("output_sha256", s.OutputSha256 ?? Sha256.HexOfUtf8(s.Output));
                writer.Bool("truncated", s.OutputTruncated);
                break;
            case ToolStartStep s:
                writer.String("name", s.Name);
                writer.String("call_id", s.CallId);
                writer.StringIfNotNull("command", s.Command);
                if (s.InputJson is not null)
                {
                    writer.RawJson("input", s.InputJson);
                }

                break;
            case ToolProgressStep s:
                writer.String("call_id", s.CallId);
                writer.String("progress", s.Progress);
                break;
            case ObservationStep s:
                writer.String("call_id", s.CallId);
                writer.String("status", s.Status);
                writer.StringIfNotNull("content", s.Content);
                break;
            case SubagentStep s:
                writer.String("name", s.Name);
                writer.StringIfNotNull("query", s.Query);
                writer.StringIfNotNull("result", s.Result);
                break;
            case DelegationStep s:
                writer.String("sub_agent", s.SubAgent);
                writer.StringIfNotNull("scope", s.Scope);
                writer.NumberIfNotNull("max_amount", s.MaxAmount);
                break;
            case QuestionStep s:
                writer.String("content", s.Content);
                if (s.Options.Count > 0)
                {
                    writer.Name("options");
                    writer.StartArray();
                    foreach (string o in s.Options)
                    {
                        writer.StringValue(o, "options");
                    }

                    writer.EndArray();
                }

                break;
            case TodosStep s:
                writer.Name("items");
                writer.StartArray();
                foreach (TodoItem item in s.Items)
                {
                    writer.StartObject();
                    writer.String("status", item.Status);
                    writer.String("content", item.Content);
                    writer.EndObject();
                }

                writer.EndArray();
                break;
            case PhaseStep s:
                writer.String("phase", s.Phase);
                break;
            case SessionEndStep s:
                writer.StringIfNotNull("summary", s.Summary);
                writer.StringIfNotNull("status", s.Status);
                writer.NumberIfNotNull("tokens_total", s.TokensTotal);
                break;
            case VerificationStep s:
                writer.String("command", s.Command);
                writer.String("kind", WireNames.Of(s.Kind));
                writer.Number("exit_code", s.ExitCode);
                writer.Number("passed", s.Passed);
                writer.Number("failed", s.Failed);
                writer.Number("skipped", s.Skipped);
                writer.NumberIfNotNull("duration_ms", s.DurationMs);
                writer.StringIfNotNull("output_sha256", s.Output is not null ? Sha256.HexOfUtf8(s.Output) : s.OutputSha256);
                writer.StringIfNotNull("statement_sha256", s.StatementSha256Hex);
                break;
            case RewardStep s:
                writer.String("signal", WireNames.Of(s.Signal));
                writer.Number("value", s.Value);
                writer.String("source", WireNames.Of(s.Source));
                writer.StringIfNotNull("comment", s.Comment);
                break;
            default:
                throw new ArgumentException($"step {step.Seq}: no content form for {step.GetType().Name}", nameof(step));
        }

        if (step.Timestamp is { } ts)
        {
            writer.String("ts", Rfc3339.Format(ts));
        }

        writer.NumberIfNotNull("confidence", step.Confidence);
        writer.StringIfNotNull("signature", step.Signature);
        writer.EndObject();
    }

    /// <summary>The usage fields in profile order (shared with the session content).</summary>
    internal static void WriteUsage(CompactJsonWriter writer, Usage u)
    {
        writer.Number("tokens_in", u.TokensIn);
        writer.Number("tokens_out", u.TokensOut);
        writer.Number("tokens_cached", u.TokensCached);
        writer.Number("cost_usd", u.CostUsd);
    }
}
