namespace SovereignTrajectories.Worker.Intake;

/// <summary>What became of one dropped file: archived, or failed with the reason written beside it.</summary>
public sealed record SpoolOutcome(string Spool, string FileName, bool Succeeded, string MovedTo, string? Error);
