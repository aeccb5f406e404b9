using System.CommandLine;
using SovereignTrajectories.Cli.Infrastructure;
using SovereignTrajectories.Nostr.Keys;

namespace SovereignTrajectories.Cli.Commands;

/// <summary><c>sovtraj keygen --out FILE</c>: writes a new nsec with mode 0600 and prints the npub.</summary>
internal static class KeygenCommand
{
    public static Command Create()
    {
        var output = new Option<FileInfo>("--out")
        {
            Description = "File to create (mode 0600); refuses to overwrite an existing file.",
            Required = true,
        };
        var command = new Command("keygen", "Generate a new signing key into a file and print its npub.") { output };
        CliAction.Set(command, (parse, _) =>
        {
            FileInfo file = parse.GetValue(output)!;
            using SecretKey key = SecretKey.Generate();
            SecretKey.WriteNewKeyFile(file.FullName, key);
            Console.Out.WriteLine(key.PublicKey.ToNpub());
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }
}
