namespace SovereignTrajectories.Trajectories.Verification;

/// <summary>One recorded verification run, in seq order: its kind (test/build/lint/other) and whether it passed.</summary>
public sealed record VerificationRecord(string Kind, bool Passed);
