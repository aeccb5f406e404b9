using System.CommandLine;
using SovereignTrajectories.Cli.Infrastructure;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Keys;

namespace SovereignTrajectories.Cli.Commands;

/// <summary>
/// <c>sovtraj event sign --key FILE [INPUT|-]</c>: unsigned templates in (JSON lines), signed
/// events out (JSON lines, NIP-01 canonical). All input is checked before anything is printed,
/// so a bad line never leaves a half-signed batch behind.
/// </summary>
internal static class EventSignCommand
{
    public static Command Create()
    {
        var keyOption = KeySource.CreateOption();
        var input = new Argument<string?>("INPUT") { Description = "JSON lines of templates; '-' or omitted for stdin.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("sign", "Sign unsigned event templates {\"kind\",\"created_at\"?,\"tags\"?,\"content\"}.") { keyOption, input };
        CliAction.Set(command, async (parse, ct) =>
        {
            using SecretKey key = KeySource.Load(parse.GetValue(keyOption));
            long now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
            string? path = parse.GetValue(input);
            var templates = new List<UnsignedEvent>();
            using (TextReader reader = InputSource.Open(path))
            {
                int lineNumber = 0;
                while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
                {
                    lineNumber++;
                    if (!string.IsNullOrWhiteSpace(line))
                    {
                        templates.Add(EventTemplateParser.Parse(line, lineNumber, now));
                    }
                }
            }

            foreach (UnsignedEvent template in templates)
            {
                await Console.Out.WriteLineAsync(CanonicalJson.Serialize(EventSigner.Sign(template, key))).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
