using System.CommandLine;
using SovereignTrajectories.Cli.Commands;

namespace SovereignTrajectories.Cli;

/// <summary>Every <c>sovtraj</c> command, in the order <c>--help</c> lists them. One line per command; its code lives in Commands/.</summary>
internal static class CommandCatalog
{
    public static RootCommand Build()
    {
        var root = new RootCommand("sovtraj: publish AI agent runs as signed, verifiable Nostr trajectories, and audit them.");
        root.Subcommands.Add(KeygenCommand.Create());
        root.Subcommands.Add(KeyCommand.Create());
        root.Subcommands.Add(EventCommand.Create());
        return root;
    }
}
