using System.CommandLine;
using SovereignTrajectories.Cli.Infrastructure;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Relays;
using SovereignTrajectories.Relays.Configuration;
using SovereignTrajectories.Relays.Publishing;

namespace SovereignTrajectories.Cli.Commands;

/// <summary>
/// <c>sovtraj event publish [--relay URL...] [--quorum K] [--config relays.json] [INPUT|-]</c>:
/// publishes signed events (JSON lines) and prints one line per event and relay with the outcome.
/// Exit 0 iff every event reached the quorum, 1 if any did not, 2 if it could not run.
/// </summary>
internal static class EventPublishCommand
{
    public static Command Create()
    {
        var input = new Argument<string?>("INPUT") { Description = "Signed events as JSON lines; '-' or omitted for stdin.", Arity = ArgumentArity.ZeroOrOne };
        var relays = new Option<string[]>("--relay") { Description = "Relay URL (repeatable); default: the relays in relays.json.", AllowMultipleArgumentsPerToken = true };
        var quorum = new Option<int?>("--quorum") { Description = "How many relays must answer OK true (default: relays.json's quorum, or 1)." };
        var config = new Option<string?>("--config") { Description = "Pool configuration file (default: ./relays.json)." };
        var command = new Command("publish", "Publish signed events to relays; one line per event and relay with the relay's verdict.") { input, relays, quorum, config };
        CliAction.Set(command, async (parse, ct) =>
        {
            string? path = parse.GetValue(input);
            string[] urls = parse.GetValue(relays) ?? [];

            // --relay takes several values per token, so "--relay URL events.jsonl" hands it the
            // input file too; a trailing value that is not a ws(s) URL but names a file is the input.
            if (path is null && urls.Length > 1 && !urls[^1].StartsWith("ws", StringComparison.OrdinalIgnoreCase) && (urls[^1] == "-" || File.Exists(urls[^1])))
            {
                path = urls[^1];
                urls = urls[..^1];
            }

            RelayPoolOptions options = RelayPoolConfiguration.Resolve(urls, parse.GetValue(config), parse.GetValue(quorum));
            List<NostrEvent> events = await ReadEventsAsync(path, ct).ConfigureAwait(false);
            await using var pool = new RelayPool(options);
            if (await pool.ConnectAsync(ct).ConfigureAwait(false) == 0)
            {
                await Console.Error.WriteLineAsync("sovtraj: warning: no relay could be reached; every outcome will be 'not sent'").ConfigureAwait(false);
            }

            // Each connection keeps at most MaxPublishesInFlight events waiting for an OK; the rest wait their turn.
            PublishResult[] results = await Task.WhenAll(events.Select(e => pool.PublishAsync(e, ct))).ConfigureAwait(false);
            foreach (PublishResult result in results)
            {
                foreach (RelayPublishReport report in result.Relays)
                {
                    string auth = report.Authenticated ? " (after NIP-42 auth)" : string.Empty;
                    await Console.Out.WriteLineAsync($"{result.EventId} {report.Relay} {report.Outcome.Describe()}{auth}").ConfigureAwait(false);
                }

                if (!result.QuorumReached)
                {
                    await Console.Error.WriteLineAsync($"sovtraj: {result.EventId} reached {result.AcceptedCount} of {result.Quorum} required relays").ConfigureAwait(false);
                }
            }

            return results.All(r => r.QuorumReached) ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    private static async Task<List<NostrEvent>> ReadEventsAsync(string? path, CancellationToken ct)
    {
        string source = InputSource.Describe(path);
        var events = new List<NostrEvent>();
        using TextReader reader = InputSource.Open(path);
        int lineNumber = 0;
        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            NostrEvent e;
            try
            {
                e = EventParser.Parse(line);
            }
            catch (FormatException ex)
            {
                throw new CliUsageException($"{source} line {lineNumber}: not a signed event: {ex.Message}");
            }

            EventCheck check = EventVerifier.Verify(e);
            if (!check.IsValid)
            {
                throw new CliUsageException($"{source} line {lineNumber}: event {e.Id} fails verification: {check.Reason}");
            }

            events.Add(e);
        }

        if (events.Count == 0)
        {
            throw new CliUsageException($"{source}: no events to publish");
        }

        return events;
    }
}
