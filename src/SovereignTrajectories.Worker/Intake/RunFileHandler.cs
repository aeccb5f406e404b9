using Microsoft.Extensions.Logging;
using SovereignTrajectories.Trajectories.Ingest;
using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Worker.Intake;

/// <summary>Reads one finished run file from the spool (any ingest format) and stores each run it holds.</summary>
public sealed partial class RunFileHandler : ISpoolFileHandler
{
    private readonly TrajectoryIngest _ingest;
    private readonly TrajectoryCommitter _committer;
    private readonly TrajectoryFormat _format;
    private readonly IngestOptions _ingestOptions;
    private readonly ILogger<RunFileHandler> _logger;

    public RunFileHandler(TrajectoryIngest ingest, TrajectoryCommitter committer, TrajectoryFormat format, IngestOptions ingestOptions, ILogger<RunFileHandler> logger)
    {
        _ingest = ingest;
        _committer = committer;
        _format = format;
        _ingestOptions = ingestOptions;
        _logger = logger;
    }

    public async Task HandleAsync(string path, CancellationToken cancellationToken)
    {
        string name = Path.GetFileName(path);
        IngestResult result = await _ingest.ReadFileAsync(path, _format, _ingestOptions, cancellationToken).ConfigureAwait(false);
        if (result.Trajectories.Count == 0)
        {
            throw new IngestException(name, null, null, "the file holds no agent run");
        }

        foreach (Trajectory trajectory in result.Trajectories)
        {
            // A spool file is a finished run: one without an end marker ends with its last step.
            Trajectory finished = trajectory.Session.IsComplete ? trajectory : LiveEnd.EndAtLastStep(trajectory, null);
            SinkSession stored = await _committer.StoreAsync(finished, "spool:" + name, cancellationToken).ConfigureAwait(false);
            LogStored(name, stored.Sid, stored.StepCount, result.Format);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "spool: {File} -> session {Sid} ({Steps} steps, {Format})")]
    private partial void LogStored(string file, string sid, int steps, TrajectoryFormat format);
}
