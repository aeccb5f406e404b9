namespace SovereignTrajectories.Trajectories.Model;

/// <summary>
/// What an optimiser needs to know which part of the policy to tune: the confidence of a
/// decision and the name of the signature (prompt program part) that made it.
/// </summary>
public sealed record DecisionMetadata(double? Confidence, string? Signature);
