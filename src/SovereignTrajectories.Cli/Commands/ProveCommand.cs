using System.CommandLine;
using SovereignTrajectories.Audit.Fetching;
using SovereignTrajectories.Cli.Infrastructure;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Trajectories.Mapping;

namespace SovereignTrajectories.Cli.Commands;

/// <summary>
/// <c>sovtraj prove (--events FILE | --session NADDR [--relay URL...]) --seq N [--sid SID]</c>:
/// prints the Merkle inclusion proof of step N as one JSON object, from a file of the session's
/// events (JSON lines) or from relays (every event verified on arrival).
/// Exit 0 printed, 1 the events do not reproduce the session's root, 2 could not run.
/// </summary>
internal static class ProveCommand
{
    public static Command Create()
    {
        var events = new Option<string?>("--events") { Description = "The session's events as JSON lines (the session version(s) and its steps); '-' for stdin." };
        var session = new Option<string?>("--session") { Description = "Fetch the session from relays instead: naddr, or 39230:<pubkey>:<sid>." };
        var relays = new Option<string[]>("--relay") { Description = "Relay URL (repeatable) for --session; default: relays.json, else the naddr's relay hints." };
        var config = new Option<string?>("--config") { Description = "Relay pool configuration file (default: ./relays.json)." };
        var seq = new Option<int>("--seq") { Description = "The step to prove (1-based).", Required = true };
        var sid = new Option<string?>("--sid") { Description = "The session id, when FILE holds several sessions." };
        var command = new Command("prove", "Print an inclusion proof that one step belongs to a session's merkle_root.") { events, session, relays, config, seq, sid };
        CliAction.Set(command, async (parse, ct) =>
        {
            string? path = parse.GetValue(events);
            string? target = parse.GetValue(session);
            if ((path is null) == (target is null))
            {
                throw new CliUsageException("give exactly one of --events FILE or --session NADDR");
            }

            IReadOnlyList<NostrEvent> parsed;
            string? sessionId = parse.GetValue(sid);
            if (target is not null)
            {
                AuditTarget parsedTarget = AuditTargetParser.Parse(target);
                if (parsedTarget.Kind != AuditTargetKind.Session || parsedTarget.PubKey is null || parsedTarget.Sid is null)
                {
                    throw new CliUsageException($"--session '{target}' is not a session (naddr or 39230:<pubkey>:<sid>)");
                }

                await using RelayEventSource source = VerifyCommand.OpenRelays(parse.GetValue(relays), parse.GetValue(config), parsedTarget);
                parsed = await SessionEventFetcher.FetchVerifiedAsync(source, parsedTarget.PubKey, parsedTarget.Sid, ct).ConfigureAwait(false);
                sessionId ??= parsedTarget.Sid;
                path = source.Description;
            }
            else
            {
                parsed = await ReadEventsAsync(path!, ct).ConfigureAwait(false);
            }

            StepInclusionProof proof;
            try
            {
                proof = StepInclusionProof.Create(parsed, parse.GetValue(seq), sessionId);
            }
            catch (TrajectoryMappingException ex) when (ex.Message.Contains("do not reproduce", StringComparison.Ordinal))
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"sovtraj: {InputSource.Describe(path)}: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Failed;
            }
            catch (TrajectoryMappingException ex)
            {
                throw new CliUsageException($"{InputSource.Describe(path)}: {ex.Message}");
            }

            await parse.InvocationConfiguration.Output.WriteLineAsync(proof.ToJson()).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Strictly parses every non-empty line; a bad line is reported with its number.</summary>
    internal static async Task<List<NostrEvent>> ReadEventsAsync(string path, CancellationToken ct)
    {
        var list = new List<NostrEvent>();
        using TextReader reader = InputSource.Open(path);
        int lineNumber = 0;
        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                list.Add(EventParser.Parse(line));
            }
            catch (FormatException ex)
            {
                throw new CliUsageException($"{InputSource.Describe(path)}:{lineNumber}: {ex.Message}");
            }
        }

        return list;
    }
}
