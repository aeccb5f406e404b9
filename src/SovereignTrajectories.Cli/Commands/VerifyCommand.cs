using System.CommandLine;
using Spectre.Console;
using SovereignTrajectories.Audit.Fetching;
using SovereignTrajectories.Audit.Reports;
using SovereignTrajectories.Audit.Verification;
using SovereignTrajectories.Cli.Infrastructure;
using SovereignTrajectories.Relays.Configuration;
using SovereignTrajectories.Trajectories.Replay;

namespace SovereignTrajectories.Cli.Commands;

/// <summary>
/// <c>sovtraj verify TARGET [--relay URL...] [--config relays.json] [--author KEY] [--offline DIR] [--json]
/// [--html FILE] [--out REPLAY.jsonl] [--stats]</c>: fetches every session version and step (or reads them from an
/// archive), runs every check of profile §7, replays the run, and prints the timeline, the check table and
/// a verdict (or the sovtraj.audit.v1 JSON of docs/audit-report.md). Exit 0 every required check passed,
/// 1 one failed, 2 could not run (unreachable relays, missing data).
/// </summary>
internal static class VerifyCommand
{
    public static Command Create() => Build(
        "verify",
        "Fetch, verify and replay a trajectory: naddr, 39230:<pubkey>:<sid>, a sid with --author, or a claim (nevent/note/id/RECEIPT.json).",
        "What to verify: naddr1..., 39230:<pubkey>:<sid>, a sid (with --author), nevent1.../note1.../event id, or a RECEIPT.json path.",
        claimsOnly: false);

    /// <summary>The verify and audit commands share everything but their name and what TARGET may be.</summary>
    internal static Command Build(string name, string description, string targetDescription, bool claimsOnly)
    {
        var target = new Argument<string>("TARGET") { Description = targetDescription };
        var relays = new Option<string[]>("--relay") { Description = "Relay URL (repeatable); default: relays.json plus the target's relay hints.", AllowMultipleArgumentsPerToken = true };
        var config = new Option<string?>("--config") { Description = "Pool configuration file (default: ./relays.json)." };
        var author = new Option<string?>("--author") { Description = "The agent's public key (npub or hex), when TARGET is a bare sid or a RECEIPT.json." };
        var offline = new Option<string?>("--offline") { Description = "Verify from an archive instead of relays: a session folder of the worker's archive, the archive root, a folder of JSON-lines files, or one file." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON (schema sovtraj.audit.v1, docs/audit-report.md) instead of text." };
        var html = new Option<string?>("--html") { Description = "Also write a self-contained HTML report to this file." };
        var output = new Option<string?>("--out") { Description = "Also export the replayed run as REPLAY.jsonl to this file." };
        var stats = new Option<bool>("--stats") { Description = "Also print to stderr how many events were read, how long the audit took, process CPU and peak memory." };
        var command = new Command(name, description) { target, relays, config, author, offline, json, html, output, stats };
        CliAction.Set(command, async (parse, ct) =>
        {
            AuditTarget parsed = AuditTargetParser.Parse(parse.GetValue(target)!, parse.GetValue(author));
            if (claimsOnly && parsed.Kind == AuditTargetKind.Session)
            {
                throw new CliUsageException($"{name}: TARGET must be a claim (nevent, note, event id or RECEIPT.json); use 'sovtraj verify' for a session");
            }

            AuditReport report;
            string? offlineDir = parse.GetValue(offline);
            TerminalProgress? progress = TerminalProgress.ForTerminal(parse.InvocationConfiguration.Error);
            try
            {
                if (offlineDir is not null)
                {
                    var source = new ArchiveEventSource(offlineDir, progress);
                    report = await new TrajectoryAuditor(source, progress: progress).AuditAsync(parsed, ct).ConfigureAwait(false);
                }
                else
                {
                    await using RelayEventSource source = OpenRelays(parse.GetValue(relays), parse.GetValue(config), parsed, progress);
                    report = await new TrajectoryAuditor(source, progress: progress).AuditAsync(parsed, ct).ConfigureAwait(false);
                }
            }
            finally
            {
                progress?.Clear();
            }

            await WriteOutputsAsync(parse, report, parse.GetValue(json), parse.GetValue(html), parse.GetValue(output), ct).ConfigureAwait(false);
            if (parse.GetValue(stats))
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync(AuditStats.Describe(report)).ConfigureAwait(false);
            }

            return report.ExitCode;
        });
        return command;
    }

    /// <summary>The relays to read from: --relay, else relays.json, else the target's own relay hints.</summary>
    internal static RelayEventSource OpenRelays(string[]? urls, string? config, AuditTarget target, IProgress<AuditProgress>? progress = null)
    {
        RelayPoolOptions options;
        try
        {
            options = RelayPoolConfiguration.Resolve(urls, config, quorum: null);
        }
        catch (RelayConfigurationException) when (urls is not { Length: > 0 } && config is null && target.RelayHints.Count > 0)
        {
            // No relays.json here, but the target names its relays.
            options = RelayPoolConfiguration.FromUrls(target.RelayHints);
        }

        return new RelayEventSource(options, progress: progress);
    }

    private static async Task WriteOutputsAsync(ParseResult parse, AuditReport report, bool json, string? html, string? replay, CancellationToken ct)
    {
        TextWriter stdout = parse.InvocationConfiguration.Output;
        TextWriter stderr = parse.InvocationConfiguration.Error;
        if (json)
        {
            await stdout.WriteLineAsync(JsonReportWriter.ToJson(report)).ConfigureAwait(false);
        }
        else if (ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected)
        {
            TerminalReportWriter.Write(report, AnsiConsole.Console);
        }
        else
        {
            TerminalReportWriter.WritePlain(report, stdout);
        }

        if (report.Verdict == AuditVerdict.CouldNotRun)
        {
            await stderr.WriteLineAsync("sovtraj: could not run: " + report.CouldNotRunReason).ConfigureAwait(false);
        }

        if (html is not null)
        {
            HtmlReportWriter.Write(report, html);
            await stderr.WriteLineAsync($"sovtraj: HTML report written to {html}").ConfigureAwait(false);
        }

        if (replay is not null)
        {
            if (report.Trajectory?.Read is { } read)
            {
                await using var writer = new StreamWriter(replay, append: false, new System.Text.UTF8Encoding(false));
                await ReplayWriter.WriteAsync(read.Trajectory, writer, ct).ConfigureAwait(false);
                await stderr.WriteLineAsync($"sovtraj: REPLAY.jsonl written to {replay}").ConfigureAwait(false);
            }
            else
            {
                await stderr.WriteLineAsync($"sovtraj: --out {replay}: not written, the run could not be rebuilt from the events").ConfigureAwait(false);
            }
        }
    }
}
