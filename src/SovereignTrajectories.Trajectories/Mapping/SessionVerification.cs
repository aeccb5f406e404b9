namespace SovereignTrajectories.Trajectories.Mapping;

/// <summary>The session's <c>verification</c> summary: verdict, run counts and the verification digest (§5.3).</summary>
public sealed record SessionVerification(bool Passed, int Runs, int FailedRuns, string Sha256);
