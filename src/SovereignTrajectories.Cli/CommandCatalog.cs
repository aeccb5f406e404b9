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
        root.Subcommands.Add(ReqCommand.Create());
        root.Subcommands.Add(InspectCommand.Create());
        root.Subcommands.Add(ConvertCommand.Create());
        root.Subcommands.Add(PublishCommand.Create());
        root.Subcommands.Add(WorkerCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(VerifyCommand.Create());
        root.Subcommands.Add(AuditCommand.Create());
        root.Subcommands.Add(ProveCommand.Create());
        root.Subcommands.Add(VerifyProofCommand.Create());
        return root;
    }
}
