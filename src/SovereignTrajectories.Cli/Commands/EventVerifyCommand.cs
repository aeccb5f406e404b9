using System.CommandLine;
using System.Text.Json;
using SovereignTrajectories.Cli.Infrastructure;
using SovereignTrajectories.Nostr.Events;

namespace SovereignTrajectories.Cli.Commands;

/// <summary>
/// <c>sovtraj event verify [INPUT|-] [--json]</c>: strict parse, id and BIP-340 signature of each event.
/// Exit 0 iff all valid, 1 if any invalid, 2 if it could not run.
/// </summary>
internal static class EventVerifyCommand
{
    private static readonly JsonDocumentOptions ArrayOptions = new() { AllowDuplicateProperties = true, MaxDepth = 64 };

    public static Command Create()
    {
        var input = new Argument<string?>("INPUT") { Description = "Events as JSON lines or one JSON array; '-' or omitted for stdin.", Arity = ArgumentArity.ZeroOrOne };
        var json = new Option<bool>("--json") { Description = "Print a JSON array of {id, valid, reason}." };
        var command = new Command("verify", "Verify events: strict NIP-01 parse, id and BIP-340 signature.") { input, json };
        CliAction.Set(command, async (parse, ct) =>
        {
            string? path = parse.GetValue(input);
            string text;
            using (TextReader reader = InputSource.Open(path))
            {
                text = await reader.ReadToEndAsync(ct).ConfigureAwait(false);
            }

            var results = new List<VerifyResult>();
            foreach ((string raw, string label) in Split(text))
            {
                results.Add(Check(raw, label));
            }

            if (parse.GetValue(json))
            {
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(results, CliJsonContext.Default.ListVerifyResult)).ConfigureAwait(false);
            }
            else
            {
                foreach (VerifyResult r in results)
                {
                    await Console.Out.WriteLineAsync(r.Valid ? $"{r.Id} valid" : $"{r.Id ?? r.Label} invalid: {r.Reason}").ConfigureAwait(false);
                }
            }

            return results.TrueForAll(r => r.Valid) ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    private static VerifyResult Check(string raw, string label)
    {
        NostrEvent ev;
        try
        {
            ev = EventParser.Parse(raw);
        }
        catch (FormatException ex)
        {
            return new VerifyResult(TryReadId(raw), false, ex.Message, label);
        }

        EventCheck check = EventVerifier.Verify(ev);
        return new VerifyResult(ev.Id, check.IsValid, check.Reason, label);
    }

    /// <summary>One JSON array of events, or JSON lines; each item keeps its raw text for the strict parser.</summary>
    private static IEnumerable<(string Raw, string Label)> Split(string text)
    {
        string trimmed = text.TrimStart();
        if (trimmed.StartsWith('['))
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(trimmed, ArrayOptions);
            }
            catch (JsonException ex)
            {
                throw new CliUsageException($"input is not a valid JSON array: {ex.Message}");
            }

            using (document)
            {
                int index = 0;
                var items = new List<(string, string)>();
                foreach (JsonElement element in document.RootElement.EnumerateArray())
                {
                    items.Add((element.GetRawText(), $"item {index}"));
                    index++;
                }

                return items;
            }
        }

        var lines = new List<(string, string)>();
        int lineNumber = 0;
        foreach (string line in text.Split('\n'))
        {
            lineNumber++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                lines.Add((line.TrimEnd('\r'), $"line {lineNumber}"));
            }
        }

        return lines;
    }

    /// <summary>The id field of an event that failed to parse, when one can be read, so the line still names it.</summary>
    private static string? TryReadId(string raw)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(raw, ArrayOptions);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("id", out JsonElement id)
                && id.ValueKind == JsonValueKind.String
                ? id.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
