using System.CommandLine;

namespace SovereignTrajectories.Cli.Commands;

/// <summary><c>sovtraj event sign|verify|publish</c>.</summary>
internal static class EventCommand
{
    public static Command Create() => new("event", "Sign, verify and publish Nostr events (JSON lines).")
    {
        EventSignCommand.Create(),
        EventVerifyCommand.Create(),
        EventPublishCommand.Create(),
    };
}
