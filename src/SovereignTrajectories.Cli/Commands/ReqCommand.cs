using System.CommandLine;
using SovereignTrajectories.Cli.Infrastructure;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Filters;
using SovereignTrajectories.Relays;
using SovereignTrajectories.Relays.Configuration;
using SovereignTrajectories.Relays.Querying;

namespace SovereignTrajectories.Cli.Commands;

/// <summary>
/// <c>sovtraj req [--relay URL...] --filter JSON... [--json] [--config relays.json]</c>: prints the
/// verified, matching events of every read relay (paging past relay caps), and per-relay counts of
/// dropped events on stderr. Exit 0 iff every relay answered completely, 1 otherwise, 2 if it could not run.
/// </summary>
internal static class ReqCommand
{
    public static Command Create()
    {
        var relays = new Option<string[]>("--relay") { Description = "Relay URL (repeatable); default: the relays in relays.json.", AllowMultipleArgumentsPerToken = true };
        var filters = new Option<string[]>("--filter") { Description = "A NIP-01 filter as JSON (repeatable).", Required = true };
        var json = new Option<bool>("--json") { Description = "Print each event as one line of NIP-01 JSON (default: id, kind, created_at, content preview)." };
        var config = new Option<string?>("--config") { Description = "Pool configuration file (default: ./relays.json)." };
        var command = new Command("req", "Query relays; print verified events that match the filters.") { relays, filters, json, config };
        CliAction.Set(command, async (parse, ct) =>
        {
            List<Filter> parsed = ParseFilters(parse.GetValue(filters) ?? []);
            RelayPoolOptions options = RelayPoolConfiguration.Resolve(parse.GetValue(relays), parse.GetValue(config), quorum: null);
            await using var pool = new RelayPool(options);
            if (await pool.ConnectAsync(ct).ConfigureAwait(false) == 0)
            {
                throw new IOException("no relay could be reached: " + string.Join("; ", pool.Relays.Select(r => $"{r.Name}: {r.LastError}")));
            }

            QueryResult result = await pool.QueryAsync(parsed, ct).ConfigureAwait(false);
            bool asJson = parse.GetValue(json);
            foreach (NostrEvent e in result.Events.OrderBy(e => e.CreatedAt).ThenBy(e => e.Id, StringComparer.Ordinal))
            {
                await Console.Out.WriteLineAsync(asJson ? CanonicalJson.Serialize(e) : Summary(e)).ConfigureAwait(false);
            }

            foreach (RelayQueryReport r in result.Relays)
            {
                string end = r.Completed ? "complete" : $"incomplete: {r.Error}";
                await Console.Error.WriteLineAsync(
                    $"{r.Relay}: {r.Received} events, {r.Dropped} dropped ({r.DroppedInvalid} failed verification, {r.DroppedUnmatched} did not match the filter), {r.Pages} pages, {end}").ConfigureAwait(false);
            }

            return result.Complete ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    private static List<Filter> ParseFilters(string[] texts)
    {
        var filters = new List<Filter>();
        for (int i = 0; i < texts.Length; i++)
        {
            try
            {
                filters.Add(Filter.Parse(texts[i]));
            }
            catch (FormatException ex)
            {
                throw new CliUsageException($"--filter #{i + 1}: {ex.Message}");
            }
        }

        if (filters.Count == 0)
        {
            throw new CliUsageException("--filter: at least one filter is needed");
        }

        return filters;
    }

    private static string Summary(NostrEvent e)
    {
        string preview = e.Content.ReplaceLineEndings(" ");
        if (preview.Length > 80)
        {
            preview = preview[..80] + "...";
        }

        return $"{e.Id} kind {e.Kind} at {e.CreatedAt} by {e.PubKey}: {preview}";
    }
}
