using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SovereignTrajectories.Trajectories.Json;
using SovereignTrajectories.Trajectories.Model;
using SovereignTrajectories.Trajectories.Redaction;

namespace SovereignTrajectories.Trajectories.Mapping;

/// <summary>
/// Applies <see cref="Redactor"/> to every text a trajectory would publish (profile §4): message
/// texts, tool inputs (as JSON, so secret-named keys are caught), tool outputs (as JSON when they
/// are JSON), commands, comments, the repo URL, and thinking (withheld with its hash unless the
/// options publish it). Findings are located as <c>step &lt;seq&gt;/&lt;field&gt;</c>.
/// </summary>
public static class TrajectoryRedaction
{
    public static Trajectory Redact(Trajectory trajectory, Redactor redactor, RedactionReport report)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        ArgumentNullException.ThrowIfNull(redactor);
        ArgumentNullException.ThrowIfNull(report);
        var r = new Scope(redactor, report);
        SessionInfo s = trajectory.Session;
        SessionInfo session = s with { Repo = s.Repo is null ? null : r.Text(s.Repo, "session/repo") };
        var steps = new List<Step>(trajectory.Steps.Count);
        foreach (Step step in trajectory.Steps)
        {
            steps.Add(RedactStep(step, r));
        }

        return trajectory with { Session = session, Steps = ValueList.From(steps) };
    }

    /// <summary>Redacts one step (for steps appended after publishing).</summary>
    public static Step RedactStep(Step step, Redactor redactor, RedactionReport report) =>
        RedactStep(step, new Scope(redactor, report));

    private static Step RedactStep(Step step, Scope r)
    {
        string at = "step " + step.Seq.ToString(CultureInfo.InvariantCulture) + "/";
        return step switch
        {
            UserStep u => u with { Content = r.Text(u.Content, at + "content") },
            AgentStep a => a with { Content = r.Text(a.Content, at + "content") },
            ThinkingStep t when t.IsRedacted => t,
            ThinkingStep t => Thinking(t, r, at),
            ToolStep t => t with { InputJson = r.Json(t.InputJson, at + "input"), Output = r.TextOrJson(t.Output, at + "output") },
            ToolStartStep t => t with { Command = r.OptText(t.Command, at + "command"), InputJson = t.InputJson is null ? null : r.Json(t.InputJson, at + "input") },
            ToolProgressStep p => p with { Progress = r.Text(p.Progress, at + "progress") },
            ObservationStep o => o with { Content = r.OptText(o.Content, at + "content") },
            SubagentStep s => s with { Query = r.OptText(s.Query, at + "query"), Result = r.OptText(s.Result, at + "result") },
            DelegationStep d => d,
            QuestionStep q => q with
            {
                Content = r.Text(q.Content, at + "content"),
                Options = ValueList.From(q.Options.Select((o, i) => r.Text(o, at + "options/" + i.ToString(CultureInfo.InvariantCulture)))),
            },
            TodosStep t => t with
            {
                Items = ValueList.From(t.Items.Select((item, i) => item with { Content = r.Text(item.Content, at + "items/" + i.ToString(CultureInfo.InvariantCulture)) })),
            },
            PhaseStep p => p,
            SessionEndStep e => e with { Summary = r.OptText(e.Summary, at + "summary") },
            VerificationStep v => Verification(v, r, at),
            RewardStep w => w with { Comment = r.OptText(w.Comment, at + "comment") },
            UnknownStep u => u with { RawContent = r.Json(u.RawContent, at + "content") },
            _ => step,
        };
    }

    /// <summary>
    /// A statement is committed to as exact bytes, so it cannot be redacted in place. When its
    /// bytes (which repeat the command) hold anything the redactor would replace, it is dropped
    /// with its hash, and the pipeline builds a new one from the redacted step.
    /// </summary>
    private static VerificationStep Verification(VerificationStep v, Scope r, string at)
    {
        VerificationStep redacted = v with { Command = r.Text(v.Command, at + "command"), Output = r.OptText(v.Output, at + "output") };
        if (v.Statement is { } statement)
        {
            string text = System.Text.Encoding.UTF8.GetString(statement.StatementBytes.Span);
            if (r.Redactor.RedactText(text, at + "statement").Findings.Count > 0)
            {
                r.Report.Add(new RedactionFinding(at + "statement", "statement-rebuilt", 0, statement.StatementBytes.Length));
                return redacted with { Statement = null, StatementSha256 = null };
            }
        }
        else if (!string.Equals(redacted.Command, v.Command, StringComparison.Ordinal))
        {
            // A bare hash was computed over bytes that held the unredacted command.
            return redacted with { StatementSha256 = null };
        }

        return redacted;
    }

    private static ThinkingStep Thinking(ThinkingStep t, Scope r, string at)
    {
        RedactedThinking redacted = r.Redactor.RedactThinking(t.Content, at + "content", r.Report);
        return t with { Content = redacted.Content, Hash = redacted.Hash ?? t.Hash };
    }

    private readonly record struct Scope(Redactor Redactor, RedactionReport Report)
    {
        public string Text(string text, string location) => Redactor.RedactText(text, location, Report);

        public string? OptText(string? text, string location) => text is null ? null : Text(text, location);

        /// <summary>Redacts JSON text; returns the input unchanged (byte for byte) when nothing was found.</summary>
        public string Json(string json, string location)
        {
            JsonNode? node;
            try
            {
                node = JsonNode.Parse(json);
            }
            catch (JsonException)
            {
                return Text(json, location);
            }

            int before = Report.Count;
            JsonNode? redacted = Redactor.RedactJson(node, location, Report);
            return Report.Count == before ? json : CompactJson.Normalize(redacted?.ToJsonString() ?? "null", location);
        }

        /// <summary>Tool output: as JSON when it is a JSON object or array (secret-named keys), else as text.</summary>
        public string TextOrJson(string text, string location)
        {
            ReadOnlySpan<char> trimmed = text.AsSpan().TrimStart();
            if (trimmed.Length > 0 && (trimmed[0] == '{' || trimmed[0] == '['))
            {
                JsonNode? node = null;
                try
                {
                    node = JsonNode.Parse(text);
                }
                catch (JsonException)
                {
                }

                if (node is not null)
                {
                    int before = Report.Count;
                    JsonNode? redacted = Redactor.RedactJson(node, location, Report);
                    return Report.Count == before ? text : redacted!.ToJsonString(CompactOptions);
                }
            }

            return Text(text, location);
        }

        private static readonly JsonSerializerOptions CompactOptions = new()
        {
            WriteIndented = false,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
    }
}
