using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SovereignTrajectories.Cli.Infrastructure;
using SovereignTrajectories.Trajectories.Ingest;
using SovereignTrajectories.Trajectories.Json;
using SovereignTrajectories.Trajectories.Model;
using Spectre.Console;

namespace SovereignTrajectories.Cli.Commands;

/// <summary>
/// <c>sovtraj inspect FILE [--format auto|replay|atif|otlp|claude|codex] [--json]</c>: reads an agent run
/// and shows turns, steps, tools, verification verdicts and usage (a table on a terminal, plain text
/// when redirected, or <c>--json</c>). Exit 0 when read, 2 when the input cannot be read.
/// </summary>
internal static class InspectCommand
{
    private static readonly JsonWriterOptions JsonOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The agent run: REPLAY.jsonl, ATIF JSON, OTLP/JSON traces, a Claude Code or Codex session log." };
        var format = FormatOption();
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON." };
        var command = new Command("inspect", "Read an agent run and show its turns, steps, tools, verification verdicts and usage.") { file, format, json };
        CliAction.Set(command, async (parse, ct) =>
        {
            FileInfo input = parse.GetRequiredValue(file);
            IngestResult result = await ReadAsync(input, parse.GetValue(format), ct).ConfigureAwait(false);
            TextWriter output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(ToJson(result)).ConfigureAwait(false);
            }
            else if (ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected)
            {
                RenderTable(result, AnsiConsole.Console);
            }
            else
            {
                await output.WriteAsync(ToText(result)).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The <c>--format</c> option shared by inspect and convert.</summary>
    internal static Option<string> FormatOption() => new("--format")
    {
        Description = "Input format: auto (detect from content), replay, atif, otlp, claude or codex.",
        DefaultValueFactory = _ => "auto",
    };

    /// <summary>Reads <paramref name="input"/> with the named format; usage errors for a missing file or an unknown format name.</summary>
    internal static async Task<IngestResult> ReadAsync(FileInfo input, string? formatName, CancellationToken ct)
    {
        if (!input.Exists)
        {
            throw new CliUsageException($"input file '{input.FullName}' does not exist");
        }

        TrajectoryFormat format;
        try
        {
            format = TrajectoryFormatDetector.ParseName(formatName ?? "auto");
        }
        catch (ArgumentException ex)
        {
            throw new CliUsageException(ex.Message);
        }

        return await new TrajectoryIngest().ReadFileAsync(input.FullName, format, IngestOptions.Default, ct).ConfigureAwait(false);
    }

    internal static string ToText(IngestResult result)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"file: {result.Source}\nformat: {Name(result.Format)}\ntrajectories: {result.Trajectories.Count}\n");
        int index = 0;
        foreach (Trajectory t in result.Trajectories)
        {
            index++;
            TrajectorySummary s = TrajectorySummary.Of(t);
            SessionInfo session = t.Session;
            sb.Append(CultureInfo.InvariantCulture, $"\ntrajectory {index}: {session.Sid}\n");
            sb.Append(CultureInfo.InvariantCulture, $"  agent: {session.Agent?.Name ?? "unknown"} {session.Agent?.Version}\n");
            sb.Append(CultureInfo.InvariantCulture, $"  model: {session.Model}\n");
            sb.Append(CultureInfo.InvariantCulture, $"  started: {Rfc3339.Format(session.StartedAt)}\n");
            sb.Append(CultureInfo.InvariantCulture, $"  ended: {(session.EndedAt is { } e ? Rfc3339.Format(e) : "- (incomplete: the run has no end)")}\n");
            sb.Append(CultureInfo.InvariantCulture, $"  turns: {s.Turns}\n");
            sb.Append(CultureInfo.InvariantCulture, $"  steps: {s.Steps} ({string.Join(", ", s.StepsByType.Select(kv => $"{kv.Key} {kv.Value}"))})\n");
            sb.Append(CultureInfo.InvariantCulture, $"  tools: {(s.ToolCalls.Count == 0 ? "none" : string.Join(", ", s.ToolCalls.Select(kv => $"{kv.Key} {kv.Value}")))}\n");
            sb.Append(CultureInfo.InvariantCulture, $"  verification: {Verdict(s)}\n");
            foreach ((VerificationKind kind, VerificationStep v) in s.LastByKind.OrderBy(kv => kv.Key))
            {
                sb.Append(CultureInfo.InvariantCulture, $"    last {VerificationExtractor.WireKind(kind)}: {(v.Succeeded ? "passed" : "failed")} (exit {v.ExitCode}, {v.Passed} passed, {v.Failed} failed, {v.Skipped} skipped) `{v.Command}` at seq {v.Seq}\n");
            }

            sb.Append(CultureInfo.InvariantCulture, $"  usage: {UsageText(s.Usage)}\n");
            if (s.Reward is { } reward)
            {
                sb.Append(CultureInfo.InvariantCulture, $"  reward: {reward.Signal.ToString().ToLowerInvariant()} {reward.Value.ToString(CultureInfo.InvariantCulture)}\n");
            }

            sb.Append("  seq  type          time      detail\n");
            foreach (Step step in t.Steps)
            {
                sb.Append(CultureInfo.InvariantCulture, $"  {step.Seq,3}  {step.TypeName,-12}  {Time(step)}  {Detail(step)}\n");
            }

            foreach (TrajectoryNote note in t.Notes)
            {
                sb.Append(CultureInfo.InvariantCulture, $"  note: {note}\n");
            }
        }

        foreach (TrajectoryNote note in result.Notes)
        {
            sb.Append(CultureInfo.InvariantCulture, $"note: {note}\n");
        }

        return sb.ToString();
    }

    internal static string ToJson(IngestResult result)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, JsonOptions))
        {
            w.WriteStartObject();
            w.WriteString("file", result.Source);
            w.WriteString("format", Name(result.Format));
            w.WriteStartArray("trajectories");
            foreach (Trajectory t in result.Trajectories)
            {
                WriteTrajectory(w, t);
            }

            w.WriteEndArray();
            WriteNotes(w, result.Notes);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteTrajectory(Utf8JsonWriter w, Trajectory t)
    {
        TrajectorySummary s = TrajectorySummary.Of(t);
        SessionInfo session = t.Session;
        w.WriteStartObject();
        w.WriteString("session_id", session.Sid);
        w.WriteString("agent", session.Agent?.Name);
        w.WriteString("agent_version", session.Agent?.Version);
        w.WriteString("model", session.Model);
        w.WriteString("started_at", Rfc3339.Format(session.StartedAt));
        w.WriteString("ended_at", session.EndedAt is { } e ? Rfc3339.Format(e) : null);
        w.WriteBoolean("complete", session.IsComplete);
        w.WriteNumber("turns", s.Turns);
        w.WriteNumber("steps", s.Steps);
        w.WriteStartObject("steps_by_type");
        foreach ((string type, int n) in s.StepsByType)
        {
            w.WriteNumber(type, n);
        }

        w.WriteEndObject();
        w.WriteStartObject("tools");
        foreach ((string name, int n) in s.ToolCalls)
        {
            w.WriteNumber(name, n);
        }

        w.WriteEndObject();
        w.WriteStartObject("verification");
        w.WriteBoolean("passed", s.Verdict.Passed);
        w.WriteNumber("runs", s.Verdict.Runs);
        w.WriteNumber("failed_runs", s.Verdict.FailedRuns);
        w.WriteStartObject("last");
        foreach ((VerificationKind kind, VerificationStep v) in s.LastByKind.OrderBy(kv => kv.Key))
        {
            w.WriteStartObject(VerificationExtractor.WireKind(kind));
            w.WriteNumber("seq", v.Seq);
            w.WriteString("command", v.Command);
            w.WriteBoolean("passed", v.Succeeded);
            w.WriteNumber("exit_code", v.ExitCode);
            w.WriteNumber("tests_passed", v.Passed);
            w.WriteNumber("tests_failed", v.Failed);
            w.WriteNumber("tests_skipped", v.Skipped);
            w.WriteString("statement_sha256", v.StatementSha256Hex);
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteEndObject();
        if (s.Usage is { } u)
        {
            w.WriteStartObject("usage");
            w.WriteNumber("tokens_in", u.TokensIn);
            w.WriteNumber("tokens_out", u.TokensOut);
            w.WriteNumber("tokens_cached", u.TokensCached);
            w.WriteNumber("cost_usd", u.CostUsd);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("usage");
        }

        if (s.Reward is { } r)
        {
            w.WriteStartObject("reward");
            w.WriteString("signal", r.Signal.ToString().ToLowerInvariant());
            w.WriteNumber("value", r.Value);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("reward");
        }

        WriteNotes(w, t.Notes);
        w.WriteEndObject();
    }

    private static void WriteNotes(Utf8JsonWriter w, ValueList<TrajectoryNote> notes)
    {
        w.WriteStartArray("notes");
        foreach (TrajectoryNote note in notes)
        {
            w.WriteStartObject();
            w.WriteString("code", note.Code);
            w.WriteString("message", note.Message);
            w.WriteString("location", note.Location);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void RenderTable(IngestResult result, IAnsiConsole console)
    {
        foreach (Trajectory t in result.Trajectories)
        {
            TrajectorySummary s = TrajectorySummary.Of(t);
            var info = new Grid().AddColumn().AddColumn();
            info.AddRow("session", Markup.Escape(t.Session.Sid));
            info.AddRow("format", Name(result.Format));
            info.AddRow("agent", Markup.Escape($"{t.Session.Agent?.Name} {t.Session.Agent?.Version}"));
            info.AddRow("model", Markup.Escape(t.Session.Model));
            info.AddRow("run", t.Session.IsComplete ? "complete" : "[yellow]incomplete[/]");
            info.AddRow("turns / steps", $"{s.Turns} / {s.Steps}");
            info.AddRow("tools", Markup.Escape(string.Join(", ", s.ToolCalls.Select(kv => $"{kv.Key} {kv.Value}"))));
            info.AddRow("verification", (s.Verdict.Passed ? "[green]" : "[red]") + Markup.Escape(Verdict(s)) + "[/]");
            info.AddRow("usage", Markup.Escape(UsageText(s.Usage)));
            if (s.Reward is { } reward)
            {
                info.AddRow("reward", Markup.Escape($"{reward.Signal.ToString().ToLowerInvariant()} {reward.Value.ToString(CultureInfo.InvariantCulture)}"));
            }

            console.Write(info);
            var table = new Table().AddColumn("seq").AddColumn("type").AddColumn("time").AddColumn("detail");
            foreach (Step step in t.Steps)
            {
                table.AddRow(step.Seq.ToString(CultureInfo.InvariantCulture), step.TypeName, Time(step), Markup.Escape(Detail(step)));
            }

            console.Write(table);
            foreach (TrajectoryNote note in t.Notes)
            {
                console.MarkupLine("[grey]note:[/] " + Markup.Escape(note.ToString()));
            }
        }
    }

    private static string Verdict(TrajectorySummary s) => s.Verdict.Runs == 0
        ? "none recorded"
        : $"{(s.Verdict.Passed ? "passed" : "failed")} ({s.Verdict.Runs} runs, {s.Verdict.FailedRuns} failed; the last run of each kind counts)";

    private static string UsageText(Usage? u) => u is null
        ? "not recorded"
        : string.Create(CultureInfo.InvariantCulture, $"tokens in {u.TokensIn}, out {u.TokensOut}, cached {u.TokensCached}, cost ${u.CostUsd:0.######}");

    private static string Time(Step step) => step.Timestamp is { } ts ? ts.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture) : "--:--:--";

    private static string Detail(Step step)
    {
        string text = step switch
        {
            UserStep u => u.Content,
            AgentStep a => a.Content.Length > 0 ? a.Content : $"(no text; {UsageText(a.Usage)})",
            ThinkingStep th => th.Content,
            ToolStep tool => $"{tool.Name} {(tool.Ok ? "ok" : "FAILED")} {tool.InputJson}",
            ToolStartStep start => $"{start.Name} (no result) {start.InputJson}",
            VerificationStep v => $"{VerificationExtractor.WireKind(v.Kind)} {(v.Succeeded ? "passed" : "FAILED")}: exit {v.ExitCode}, {v.Passed} passed, {v.Failed} failed, {v.Skipped} skipped: {v.Command}",
            RewardStep r => $"{r.Signal.ToString().ToLowerInvariant()} {r.Value.ToString(CultureInfo.InvariantCulture)} {r.Comment}",
            SubagentStep sub => $"{sub.Name}: {sub.Query}",
            _ => step.TypeName,
        };
        text = text.ReplaceLineEndings(" ");
        return text.Length <= 100 ? text : text[..99] + "…";
    }

    private static string Name(TrajectoryFormat format) => format.ToString().ToLowerInvariant();
}
