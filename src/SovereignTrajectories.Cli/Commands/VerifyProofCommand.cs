using System.CommandLine;
using SovereignTrajectories.Cli.Infrastructure;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Trajectories.Mapping;

namespace SovereignTrajectories.Cli.Commands;

/// <summary>
/// <c>sovtraj verify-proof PROOF --event STEP.json</c>: checks offline that the step event is
/// validly signed and is the proven leaf of the session's Merkle tree. Exit 0 valid, 1 invalid,
/// 2 could not run.
/// </summary>
internal static class VerifyProofCommand
{
    public static Command Create()
    {
        var proofPath = new Argument<string>("PROOF") { Description = "The proof JSON printed by 'sovtraj prove'; '-' for stdin." };
        var eventPath = new Option<string>("--event") { Description = "The step event (one JSON object).", Required = true };
        var command = new Command("verify-proof", "Check an inclusion proof against the step event, offline.") { proofPath, eventPath };
        CliAction.Set(command, async (parse, ct) =>
        {
            string proofFile = parse.GetValue(proofPath)!;
            string eventFile = parse.GetValue(eventPath)!;
            StepInclusionProof proof = StepInclusionProof.Parse(await ReadAllAsync(proofFile, ct).ConfigureAwait(false), InputSource.Describe(proofFile));
            NostrEvent step;
            try
            {
                step = EventParser.Parse((await ReadAllAsync(eventFile, ct).ConfigureAwait(false)).Trim());
            }
            catch (FormatException ex)
            {
                throw new CliUsageException($"{InputSource.Describe(eventFile)}: {ex.Message}");
            }

            string? problem = proof.Verify(step);
            if (problem is null)
            {
                await parse.InvocationConfiguration.Output.WriteLineAsync($"valid: event {step.Id} is step {proof.LeafIndex + 1} of {proof.Coordinate} under root {proof.Root} (size {proof.Size})").ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            await parse.InvocationConfiguration.Output.WriteLineAsync("invalid: " + problem).ConfigureAwait(false);
            return ExitCodes.Failed;
        });
        return command;
    }

    private static async Task<string> ReadAllAsync(string path, CancellationToken ct)
    {
        using TextReader reader = InputSource.Open(path);
        return await reader.ReadToEndAsync(ct).ConfigureAwait(false);
    }
}
