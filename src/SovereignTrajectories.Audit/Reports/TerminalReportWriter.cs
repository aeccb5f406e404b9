using System.Globalization;
using Spectre.Console;
using SovereignTrajectories.Audit.Checks;
using SovereignTrajectories.Audit.Replay;
using SovereignTrajectories.Audit.Verification;

namespace SovereignTrajectories.Audit.Reports;

/// <summary>
/// Shows an audit in a terminal: the replayed timeline (turns, steps, tools with results, verification
/// runs, reward), the check table and a verdict line. <see cref="Write(AuditReport, IAnsiConsole)"/> uses
/// Spectre.Console (colours, tables); <see cref="WritePlain"/> writes plain text for pipes and logs.
/// </summary>
public static class TerminalReportWriter
{
    public static void Write(AuditReport report, IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(console);
        console.Write(new Rule($"[bold]sovtraj audit[/] {Markup.Escape(report.Coordinate ?? report.Target)}").LeftJustified());
        console.MarkupLine($"source: {Markup.Escape(report.Source)}; {report.EventsFetched} events in {report.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s");
        if (report.Trajectory?.Read is { } read)
        {
            ReplayTimeline timeline = ReplayTimeline.From(read);
            console.MarkupLine(Markup.Escape(Summary(timeline)));
            var steps = new Table().Border(TableBorder.Simple).Title("timeline");
            steps.AddColumns("turn", "seq", "type", "step", "result");
            foreach (ReplayEntry e in timeline.Entries)
            {
                steps.AddRow(
                    e.Turn.ToString(CultureInfo.InvariantCulture),
                    e.Seq.ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(e.Type),
                    Markup.Escape(e.Title),
                    e.Succeeded switch { true => "[green]ok[/]", false => "[red]failed[/]", null => string.Empty });
            }

            console.Write(steps);
        }

        var checks = new Table().Border(TableBorder.Rounded).Title("checks");
        checks.AddColumns("status", "check", "reason", "evidence");
        foreach (CheckResult c in report.Checks)
        {
            checks.AddRow(
                StatusMarkup(c),
                Markup.Escape(c.Name),
                Markup.Escape(c.Reason),
                Markup.Escape(Evidence(c)));
        }

        console.Write(checks);
        string colour = report.Verdict switch { AuditVerdict.Pass => "green", AuditVerdict.Fail => "red", _ => "yellow" };
        console.MarkupLine($"[bold {colour}]{Markup.Escape(report.VerdictLine)}[/]");
    }

    public static void WritePlain(AuditReport report, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine($"sovtraj audit {report.Coordinate ?? report.Target}");
        output.WriteLine($"source: {report.Source}; {report.EventsFetched} events in {report.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s");
        if (report.Trajectory?.Read is { } read)
        {
            ReplayTimeline timeline = ReplayTimeline.From(read);
            output.WriteLine(Summary(timeline));
            foreach (ReplayEntry e in timeline.Entries)
            {
                string result = e.Succeeded switch { true => " [ok]", false => " [FAILED]", null => string.Empty };
                output.WriteLine($"  turn {e.Turn} #{e.Seq} {e.Type}: {e.Title}{result}");
            }
        }

        output.WriteLine("checks:");
        foreach (CheckResult c in report.Checks)
        {
            output.WriteLine($"  {JsonReportWriter.StatusName(c.Status).ToUpperInvariant(),-12} {c.Name}: {c.Reason}{(c.EvidenceIds.Count > 0 ? " [" + Evidence(c) + "]" : string.Empty)}");
        }

        output.WriteLine(report.VerdictLine);
    }

    /// <summary>The one-paragraph summary of a replayed run.</summary>
    public static string Summary(ReplayTimeline t)
    {
        ArgumentNullException.ThrowIfNull(t);
        string reward = t.Reward is { } r ? $"reward {r.Signal.ToString().ToLowerInvariant()} {r.Value.ToString(CultureInfo.InvariantCulture)}" : "no reward";
        string usage = t.Usage is { } u ? string.Create(CultureInfo.InvariantCulture, $"{u.TokensIn} tokens in, {u.TokensOut} out, ${u.CostUsd}") : "no usage";
        string ended = t.EndedAt is { } end ? end.UtcDateTime.ToString("u", CultureInfo.InvariantCulture) : "not ended";
        return $"session {t.Sid} ({t.Model}): started {t.StartedAt.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)}, {ended}; "
            + $"{t.Entries.Count} steps in {t.Turns} turns; {t.ToolCalls} tool calls ({t.FailedToolCalls} failed); "
            + $"{t.VerificationRuns} verification runs ({t.FailedVerificationRuns} failed); {reward}; {usage}";
    }

    private static string StatusMarkup(CheckResult c) => c.Status switch
    {
        CheckStatus.Pass => "[green]pass[/]",
        CheckStatus.Fail => c.Required ? "[bold red]FAIL[/]" : "[red]fail (optional)[/]",
        CheckStatus.Warn => "[yellow]warn[/]",
        CheckStatus.Unverifiable => "[blue]unverifiable[/]",
        _ => "[grey]note[/]",
    };

    private static string Evidence(CheckResult c) =>
        c.EvidenceIds.Count <= 3 ? string.Join(", ", c.EvidenceIds) : string.Join(", ", c.EvidenceIds.Take(3)) + $" (+{c.EvidenceIds.Count - 3})";
}
