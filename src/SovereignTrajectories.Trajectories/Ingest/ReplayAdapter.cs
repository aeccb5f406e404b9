using System.Text.Json;
using SovereignTrajectories.Trajectories.Replay;

namespace SovereignTrajectories.Trajectories.Ingest;

/// <summary>
/// REPLAY.jsonl v1 behind the ingest interface: the parsing is <see cref="ReplayReader"/>'s (one REPLAY
/// parser in the code base); this adapter guarantees the ingest contract that bad input surfaces
/// only as <see cref="IngestException"/>, whatever the JSON layer throws underneath.
/// </summary>
public sealed class ReplayAdapter : ITrajectoryReader
{
    private readonly ReplayReader _reader = new();

    public TrajectoryFormat Format => TrajectoryFormat.Replay;

    public async Task<IngestResult> ReadAsync(Stream input, string sourceName, IngestOptions options, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _reader.ReadAsync(input, sourceName, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or JsonException or ArgumentException or (FormatException and not IngestException))
        {
            // e.g. a lone surrogate escape that System.Text.Json refuses to turn into a string
            throw new IngestException(sourceName, null, null, $"unreadable REPLAY.jsonl ({ex.Message})", ex);
        }
    }
}
