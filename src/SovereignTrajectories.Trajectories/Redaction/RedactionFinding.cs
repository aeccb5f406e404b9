namespace SovereignTrajectories.Trajectories.Redaction;

/// <summary>
/// One replaced secret: where (a location such as <c>step 12 tool output</c>, with a JSON Pointer suffix inside JSON),
/// which rule caught it, and the span it had in the original string. Never the secret itself.
/// </summary>
/// <param name="Location">Where the string was.</param>
/// <param name="Rule">The rule name, e.g. <c>github_token</c>, or <c>secret_key_name</c> for a value under a secret-named key.</param>
/// <param name="Start">Offset of the replaced span in the original string (UTF-16 code units).</param>
/// <param name="Length">Length of the replaced span in the original string.</param>
public sealed record RedactionFinding(string Location, string Rule, int Start, int Length);
