using System.CommandLine;
using SovereignTrajectories.Cli.Infrastructure;
using SovereignTrajectories.Nostr.Keys;

namespace SovereignTrajectories.Cli.Commands;

/// <summary><c>sovtraj key show --key FILE</c>: prints the npub and the hex public key.</summary>
internal static class KeyCommand
{
    public static Command Create()
    {
        var keyOption = KeySource.CreateOption();
        var show = new Command("show", "Print the npub and hex public key of a signing key.") { keyOption };
        CliAction.Set(show, (parse, _) =>
        {
            using SecretKey key = KeySource.Load(parse.GetValue(keyOption));
            Console.Out.WriteLine(key.PublicKey.ToNpub());
            Console.Out.WriteLine(key.PublicKey.Hex);
            return Task.FromResult(ExitCodes.Ok);
        });
        return new Command("key", "Inspect signing keys.") { show };
    }
}
