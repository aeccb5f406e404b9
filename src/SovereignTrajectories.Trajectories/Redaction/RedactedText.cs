namespace SovereignTrajectories.Trajectories.Redaction;

/// <summary>The result of redacting one string: the text to publish and what was replaced in it.</summary>
/// <param name="Text">The redacted text (the original instance when nothing was found).</param>
/// <param name="Findings">What was replaced, in order of position.</param>
public sealed record RedactedText(string Text, IReadOnlyList<RedactionFinding> Findings)
{
    /// <summary>True when anything was replaced.</summary>
    public bool Changed => Findings.Count > 0;
}
