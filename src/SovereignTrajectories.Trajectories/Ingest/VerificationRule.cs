using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Trajectories.Ingest;

/// <summary>
/// A command prefix (whole words, e.g. <c>dotnet test</c> or <c>npm run lint</c>) that marks a
/// shell command as a verification run of <see cref="Kind"/>.
/// </summary>
public sealed record VerificationRule(string Prefix, VerificationKind Kind)
{
    /// <summary>The prefix split into words.</summary>
    public IReadOnlyList<string> Words { get; } = Prefix.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
