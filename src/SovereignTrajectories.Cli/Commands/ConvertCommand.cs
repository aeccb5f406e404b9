using System.CommandLine;
using System.Text;
using SovereignTrajectories.Cli.Infrastructure;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Trajectories.Ingest;
using SovereignTrajectories.Trajectories.Mapping;
using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Cli.Commands;

/// <summary>
/// <c>sovtraj convert FILE --key KEYFILE [--out EVENTS.jsonl] [--format ...]</c>: the signed events that
/// publishing would send (opening session version, the steps, the final version), one JSON line each,
/// after redaction. Nothing is sent. Exit 0 when written, 2 when it cannot run.
/// </summary>
internal static class ConvertCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The agent run to convert (any format inspect reads)." };
        var format = InspectCommand.FormatOption();
        var key = KeySource.CreateOption();
        var output = new Option<FileInfo?>("--out") { Description = "Write the events here (JSON lines) instead of standard output." };
        var command = new Command("convert", "Convert an agent run into the signed trajectory events publishing would send, as JSON lines.") { file, format, key, output };
        CliAction.Set(command, async (parse, ct) =>
        {
            IngestResult result = await InspectCommand.ReadAsync(parse.GetRequiredValue(file), parse.GetValue(format), ct).ConfigureAwait(false);
            using SecretKey secret = KeySource.Load(parse.GetValue(key));
            var pipeline = new TrajectoryPublisherPipeline();
            var lines = new StringBuilder();
            int events = 0;
            foreach (Trajectory trajectory in result.Trajectories)
            {
                PublishResult published = pipeline.Publish(trajectory, secret);
                foreach (NostrEvent e in published.Mapped.Events)
                {
                    lines.Append(CanonicalJson.Serialize(e)).Append('\n');
                    events++;
                }
            }

            FileInfo? target = parse.GetValue(output);
            if (target is null)
            {
                await parse.InvocationConfiguration.Output.WriteAsync(lines.ToString()).ConfigureAwait(false);
            }
            else
            {
                await File.WriteAllTextAsync(target.FullName, lines.ToString(), new UTF8Encoding(false), ct).ConfigureAwait(false);
                await parse.InvocationConfiguration.Error.WriteLineAsync(
                    $"sovtraj: wrote {events} events for {result.Trajectories.Count} trajectories to {target.FullName}").ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
