namespace SovereignTrajectories.Trajectories.Redaction;

/// <summary>Operator settings for <see cref="Redactor"/> (profile §4).</summary>
public sealed class RedactionOptions
{
    /// <summary>Publish thinking text (still scanned for secrets) instead of replacing it by <c>&lt;redacted&gt;</c> and its hash.</summary>
    public bool PublishThinking { get; set; }

    /// <summary>
    /// More key words that name secrets, matched on whole key words like the built-in ones (e.g. <c>pin</c>, or
    /// <c>license_key</c> for the word pair license + key).
    /// </summary>
    public IList<string> ExtraSecretKeyWords { get; set; } = new List<string>();

    /// <summary>
    /// More secret shapes: rule name -> .NET regular expression. When the pattern has a group named <c>secret</c>,
    /// only that group is replaced; otherwise the whole match is.
    /// </summary>
    public IDictionary<string, string> ExtraPatterns { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
