using Microsoft.Extensions.Logging;
using SovereignTrajectories.Trajectories.Model;
using SovereignTrajectories.Worker.Intake;

namespace SovereignTrajectories.Worker.Feedback;

/// <summary>
/// Links the user's verdict to a finished run: appends a <c>reward</c> step, which publishes a new
/// final session version carrying it. Feedback for a run still in progress is refused (409): its
/// follower is still appending steps.
/// </summary>
public sealed partial class FeedbackService
{
    private readonly TrajectoryCommitter _committer;
    private readonly IntakeMonitor _monitor;
    private readonly TimeProvider _time;
    private readonly ILogger<FeedbackService> _logger;

    public FeedbackService(TrajectoryCommitter committer, IntakeMonitor monitor, TimeProvider time, ILogger<FeedbackService> logger)
    {
        _committer = committer;
        _monitor = monitor;
        _time = time;
        _logger = logger;
    }

    /// <summary>Applies one verdict; returns the session with the reward stored (its last step).</summary>
    /// <exception cref="FeedbackException">404 for an unknown session, 409 for a run that has not ended.</exception>
    public async Task<SinkSession> ApplyAsync(FeedbackRequest feedback, string source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        var reward = new RewardStep(feedback.Signal, feedback.Value, feedback.Source)
        {
            Comment = feedback.Comment,
            Timestamp = feedback.Timestamp ?? _time.GetUtcNow(),
        };
        try
        {
            SinkSession stored = await _committer.AppendAsync(
                feedback.SessionId,
                existing => existing.Ended
                    ? new AppendPlan([reward], EndedAt: null)
                    : throw new FeedbackException(409, $"session '{feedback.SessionId}' has not ended yet; feedback is taken once the run is over", retryable: true),
                source,
                cancellationToken).ConfigureAwait(false);
            _monitor.Feedback(applied: true);
            LogApplied(feedback.SessionId, feedback.Signal, stored.StepCount);
            return stored;
        }
        catch (SessionNotFoundException ex)
        {
            _monitor.Feedback(applied: false);
            throw new FeedbackException(404, $"session '{feedback.SessionId}' is not known to this worker", retryable: true, ex);
        }
        catch (FeedbackException)
        {
            _monitor.Feedback(applied: false);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "feedback {Signal} on session {Sid} stored as step {Seq}")]
    private partial void LogApplied(string sid, RewardSignal signal, int seq);
}
