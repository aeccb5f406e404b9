using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Worker.Feedback;

/// <summary>The user's verdict on a run: <c>{session_id, signal, value?, comment?, source?, ts?}</c>.</summary>
public sealed record FeedbackRequest(string SessionId, RewardSignal Signal, double Value, string? Comment, RewardSource Source, DateTimeOffset? Timestamp);
