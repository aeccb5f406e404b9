namespace SovereignTrajectories.Trajectories.Redaction;

/// <summary>A thinking step's content as published (profile §4).</summary>
/// <param name="Content"><c>&lt;redacted&gt;</c>, or the secret-scanned text when the operator publishes thinking.</param>
/// <param name="Hash">Lower-case hex SHA-256 of the original text's UTF-8 when it was withheld; otherwise null.</param>
public sealed record RedactedThinking(string Content, string? Hash)
{
    /// <summary>The placeholder that replaces withheld thinking.</summary>
    public const string Placeholder = "<redacted>";
}
