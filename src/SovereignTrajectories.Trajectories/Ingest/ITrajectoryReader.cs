namespace SovereignTrajectories.Trajectories.Ingest;

/// <summary>One adapter: reads one input format into the trajectory model.</summary>
public interface ITrajectoryReader
{
    /// <summary>The format this adapter reads (never <see cref="TrajectoryFormat.Auto"/>).</summary>
    TrajectoryFormat Format { get; }

    /// <summary>
    /// Reads <paramref name="input"/> to its end. <paramref name="sourceName"/> names the input in
    /// notes and errors. Throws <see cref="IngestException"/> for input it cannot read.
    /// </summary>
    Task<IngestResult> ReadAsync(Stream input, string sourceName, IngestOptions options, CancellationToken cancellationToken = default);
}
