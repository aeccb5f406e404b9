using System.Globalization;
using SovereignTrajectories.Nostr.Crypto;
using SovereignTrajectories.Trajectories.Json;
using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Trajectories.Replay;

/// <summary>
/// Writes the model as REPLAY.jsonl v1: a <c>ReplayHeader</c>, <c>SessionStart</c>, then per step
/// <c>ToolCall</c>+<c>ToolResult</c> (tool steps), <c>Verification</c> (verification steps) or
/// <c>StepComplete</c> (every other step, carrying the profile's step object), then
/// <c>Payment</c>s and <c>SessionEnd</c> when the run has ended. Every line is canonical JSON
/// with keys sorted at every depth, so the same model always gives the same bytes. Field
/// definitions: docs/protocol.md, "REPLAY.jsonl".
/// </summary>
public static class ReplayWriter
{
    /// <summary>The whole file as a string (each line ends with <c>\n</c>).</summary>
    public static string ToJsonl(Trajectory trajectory)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        foreach (string line in Lines(trajectory))
        {
            writer.Write(line);
            writer.Write('\n');
        }

        return writer.ToString();
    }

    public static async Task WriteAsync(Trajectory trajectory, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        foreach (string line in Lines(trajectory))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await output.WriteAsync(line.AsMemory(), cancellationToken).ConfigureAwait(false);
            await output.WriteAsync("\n".AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The lines, without line breaks, in file order.</summary>
    public static IEnumerable<string> Lines(Trajectory trajectory)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        SessionInfo s = trajectory.Session;
        var w = new CompactJsonWriter();

        w.StartObject();
        w.String("type", ReplayEventTypes.Header);
        w.Number("replay_version", ReplayEventTypes.Version);
        w.String("producer", ReplayEventTypes.Producer);
        w.String("created_at", Rfc3339.Format(s.StartedAt));
        w.EndObject();
        yield return Take(w);

        w.StartObject();
        w.String("type", ReplayEventTypes.SessionStart);
        w.String("ts", Rfc3339.Format(s.StartedAt));
        w.String("session_id", s.Sid);
        w.String("policy_bundle_id", s.Agent is null ? "unknown" : s.Agent.Version is null ? s.Agent.Name : s.Agent.Name + "@" + s.Agent.Version);
        if (s.Agent is not null)
        {
            w.Name("agent");
            w.StartObject();
            w.String("name", s.Agent.Name);
            w.StringIfNotNull("version", s.Agent.Version);
            w.EndObject();
        }

        w.String("model", s.Model);
        if (s.Repo is not null || s.Sha is not null)
        {
            w.Name("repo");
            w.StartObject();
            w.StringIfNotNull("remote", s.Repo);
            w.StringIfNotNull("commit", s.Sha);
            w.EndObject();
        }

        if (s.Participants.Count > 0)
        {
            w.Name("participants");
            w.StartArray();
            foreach (string p in s.Participants)
            {
                w.StringValue(p);
            }

            w.EndArray();
        }

        w.StringIfNotNull("tick", s.Tick);
        w.String("visibility", WireNames.Of(s.Visibility));
        w.EndObject();
        yield return Take(w);

        foreach (Step step in trajectory.Steps)
        {
            foreach (string line in StepLines(w, s.Sid, step))
            {
                yield return line;
            }
        }

        foreach (Payment p in trajectory.Payments)
        {
            w.StartObject();
            w.String("type", ReplayEventTypes.Payment);
            if (p.Timestamp is { } pts)
            {
                w.String("ts", Rfc3339.Format(pts));
            }

            w.String("session_id", s.Sid);
            w.Number("amount_msat", p.AmountMsat);
            w.StringIfNotNull("rail", p.Rail);
            w.StringIfNotNull("bolt11", p.Bolt11);
            w.StringIfNotNull("payment_hash", p.PaymentHash);
            w.StringIfNotNull("preimage", p.Preimage);
            w.StringIfNotNull("direction", p.Direction);
            w.StringIfNotNull("status", p.Status);
            w.StringIfNotNull("memo", p.Memo);
            w.EndObject();
            yield return Take(w);
        }

        if (s.EndedAt is { } ended)
        {
            ToolStep[] tools = trajectory.Steps.OfType<ToolStep>().ToArray();
            bool failed = trajectory.Verifications.Any(v => !v.Succeeded)
                && trajectory.Verifications.GroupBy(v => v.Kind).Any(g => !g.Last().Succeeded);
            w.StartObject();
            w.String("type", ReplayEventTypes.SessionEnd);
            w.String("ts", Rfc3339.Format(ended));
            w.String("session_id", s.Sid);
            w.String("status", failed ? "failure" : "success");
            if (trajectory.Steps.OfType<SessionEndStep>().LastOrDefault()?.Summary is { } summary)
            {
                w.String("summary", summary);
            }

            w.Number("total_tool_calls", tools.Length);
            w.Number("total_latency_ms", tools.Sum(t => t.LatencyMs ?? 0));
            w.EndObject();
            yield return Take(w);
        }
    }

    private static IEnumerable<string> StepLines(CompactJsonWriter w, string sid, Step step)
    {
        string stepId = step.Seq.ToString(CultureInfo.InvariantCulture);
        switch (step)
        {
            case ToolStep t:
                Common(w, ReplayEventTypes.ToolCall, sid, stepId, step);
                w.String("tool", t.Name);
                w.String("call_id", t.CallId);
                w.Name("params");
                w.SortedJsonValue(t.InputJson, $"step {stepId} input");
                w.String("params_hash", "sha256:" + Sha256.HexOfUtf8(CompactJson.Sorted(t.InputJson)));
                w.EndObject();
                yield return Take(w);

                Common(w, ReplayEventTypes.ToolResult, sid, stepId, null);
                if (t.Timestamp is { } ts)
                {
                    w.String("ts", Rfc3339.Format(t.LatencyMs is { } ms ? ts.AddMilliseconds(ms) : ts));
                }

                w.Bool("ok", t.Ok);
                w.String("output", t.Output);
                w.String("output_hash", "sha256:" + (t.OutputSha256 ?? Sha256.HexOfUtf8(t.Output)));
                w.NumberIfNotNull("latency_ms", t.LatencyMs);
                w.Name("side_effects");
                w.StartArray();
                w.EndArray();
                if (t.OutputTruncated)
                {
                    w.Bool("truncated", true);
                }

                w.EndObject();
                yield return Take(w);
                break;
            case VerificationStep v:
                Common(w, ReplayEventTypes.Verification, sid, stepId, step);
                w.String("command", v.Command);
                w.String("kind", WireNames.Of(v.Kind));
                w.Number("exit_code", v.ExitCode);
                w.Number("passed", v.Passed);
                w.Number("failed", v.Failed);
                w.Number("skipped", v.Skipped);
                w.NumberIfNotNull("duration_ms", v.DurationMs);
                w.StringIfNotNull("output", v.Output);
                if (v.Output is null && v.OutputSha256 is not null)
                {
                    w.String("output_hash", "sha256:" + v.OutputSha256);
                }

                if (v.Statement is { } statement)
                {
                    w.String("statement", Convert.ToBase64String(statement.StatementBytes.Span));
                }

                w.StringIfNotNull("statement_sha256", v.StatementSha256Hex);
                w.EndObject();
                yield return Take(w);
                break;
            default:
                Common(w, ReplayEventTypes.StepComplete, sid, stepId, step);
                w.String("step_type", step.TypeName);
                w.Name("step");
                StepContentWriter.Write(w, step);
                w.EndObject();
                yield return Take(w);
                break;
        }
    }

    /// <summary>Opens a line with type, ts, session_id, step_id, and the decision metadata of steps not embedded whole.</summary>
    private static void Common(CompactJsonWriter w, string type, string sid, string stepId, Step? step)
    {
        w.StartObject();
        w.String("type", type);
        if (step?.Timestamp is { } ts)
        {
            w.String("ts", Rfc3339.Format(ts));
        }

        w.String("session_id", sid);
        w.String("step_id", stepId);
        if (step is ToolStep or VerificationStep)
        {
            w.NumberIfNotNull("confidence", step.Confidence);
            w.StringIfNotNull("signature", step.Signature);
        }
    }

    private static string Take(CompactJsonWriter w)
    {
        string line = CompactJson.Sorted(w.ToJsonString());
        w.Reset();
        return line;
    }
}
