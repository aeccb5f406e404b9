namespace SovereignTrajectories.Worker.Intake;

/// <summary>A session as the outbox holds it: how many steps are committed and whether its final version is.</summary>
public sealed record SinkSession(string Sid, int StepCount, bool Ended);
