namespace SovereignTrajectories.Trajectories.Model;

/// <summary>
/// Agent reasoning. Redacted thinking carries <see cref="RedactedContent"/> as content and the
/// hex SHA-256 of the original text in <see cref="Hash"/>; <see cref="Sig"/> is the provider's
/// thinking signature when the input has one.
/// </summary>
public sealed record ThinkingStep(string Content) : Step
{
    /// <summary>What redacted thinking shows instead of the text.</summary>
    public const string RedactedContent = "<redacted>";

    public string? Hash { get; init; }

    public string? Sig { get; init; }

    public bool IsRedacted => Content == RedactedContent && Hash is not null;

    public override string TypeName => StepTypes.Thinking;
}
