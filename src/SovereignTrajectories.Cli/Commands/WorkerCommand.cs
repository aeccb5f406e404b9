using System.CommandLine;
using Microsoft.Extensions.Hosting;
using SovereignTrajectories.Cli.Infrastructure;
using SovereignTrajectories.Worker.Hosting;

namespace SovereignTrajectories.Cli.Commands;

/// <summary>
/// <c>sovtraj worker [--config appsettings.json]</c>: the standalone publishing worker (intake,
/// outbox, delivery) with the same services an embedding host gets from
/// <c>AddSovereignTrajectories</c>. Runs until Ctrl+C or SIGTERM, then stops intake and lets sends
/// on the wire finish; whatever is left stays in the outbox for the next start.
/// </summary>
internal static class WorkerCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "Worker configuration (JSON, section SovereignTrajectories); ./appsettings.json is read when present." };
        var command = new Command("worker", "Run the publishing worker: spool, live runs, OTLP/HTTP receiver, durable outbox, delivery to relays.") { config };
        CliAction.Set(command, async (parse, ct) =>
        {
            using IHost host = WorkerHost.CreateBuilder(parse.GetValue(config), includeIntake: true).Build();
            await host.RunAsync(ct).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
