using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using SovereignTrajectories.Cli.Infrastructure;
using SovereignTrajectories.Worker.Configuration;
using SovereignTrajectories.Worker.Outbox;

namespace SovereignTrajectories.Cli.Commands;

/// <summary>
/// <c>sovtraj status [--json] [--outbox DB] [--config appsettings.json]</c>: what the worker's outbox
/// holds (read from the database, so it works while the worker runs): depth, sessions pending and
/// published, deliveries given up, and each relay's health and last error. Exit 0 when nothing was
/// given up, 1 when some delivery was, 2 when there is no outbox to read.
/// </summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var outbox = new Option<string?>("--outbox") { Description = "Outbox database (default: from the worker configuration, sovtraj-data/outbox.db)." };
        var config = new Option<string?>("--config") { Description = "Worker configuration file (default: ./appsettings.json when present)." };
        var command = new Command("status", "Show the outbox: depth, sessions pending and published, each relay's health and last error.") { json, outbox, config };
        CliAction.Set(command, async (parse, ct) =>
        {
            string path = ResolvePath(parse.GetValue(outbox), parse.GetValue(config));
            if (!File.Exists(path))
            {
                throw new CliUsageException($"no outbox at {path} (pass --outbox, or run where the worker keeps its data)");
            }

            OutboxStatus status;
            using (OutboxStore store = OutboxStore.Open(path))
            {
                status = await store.GetStatusAsync(ct).ConfigureAwait(false);
            }

            string text = parse.GetValue(json) ? ToJson(path, status) : ToText(path, status);
            await Console.Out.WriteAsync(text).ConfigureAwait(false);
            return status.FailedDeliveries == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    private static string ResolvePath(string? outbox, string? configFile)
    {
        if (outbox is not null)
        {
            return Path.GetFullPath(outbox);
        }

        var builder = new ConfigurationBuilder();
        string file = configFile ?? Path.Combine(Environment.CurrentDirectory, "appsettings.json");
        if (configFile is not null || File.Exists(file))
        {
            builder.AddJsonFile(Path.GetFullPath(file), optional: false);
        }

        builder.AddEnvironmentVariables();
        var options = new SovereignTrajectoriesOptions();
        builder.Build().GetSection(SovereignTrajectoriesOptions.SectionName).Bind(options);
        return options.ResolveOutboxPath();
    }

    private static string ToText(string path, OutboxStatus s)
    {
        var b = new StringBuilder();
        b.Append(CultureInfo.InvariantCulture, $"outbox {path}\n");
        b.Append(CultureInfo.InvariantCulture, $"depth: {s.Depth} deliveries pending ({s.EventsAwaitingQuorum} events short of the quorum)\n");
        b.Append(CultureInfo.InvariantCulture, $"sessions: {s.SessionsPublished} published, {s.SessionsPending} pending\n");
        b.Append(CultureInfo.InvariantCulture, $"given up: {s.FailedDeliveries} deliveries\n");
        foreach (RelayHealth r in s.Relays)
        {
            b.Append(CultureInfo.InvariantCulture, $"relay {r.Relay}: {(r.Healthy ? "healthy" : "failing")}, {r.Accepted} accepted, {r.Pending} pending, {r.Failed} given up");
            if (r.LastOutcome is not null)
            {
                b.Append(CultureInfo.InvariantCulture, $", last answer {r.LastOutcome}");
            }

            if (r.LastError is not null)
            {
                b.Append(CultureInfo.InvariantCulture, $", last error at {Time(r.LastErrorAt)}: {r.LastError}");
            }

            b.Append('\n');
        }

        return b.ToString();
    }

    private static string ToJson(string path, OutboxStatus s)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("outbox", path);
            OutboxStatusJson.WriteFields(w, s);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static string Time(DateTimeOffset? t) => OutboxStatusJson.Time(t) ?? "-";
}
