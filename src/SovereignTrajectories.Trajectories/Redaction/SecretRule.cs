using System.Text.RegularExpressions;

namespace SovereignTrajectories.Trajectories.Redaction;

/// <summary>
/// One secret shape. When <see cref="Pattern"/> has a group named <c>secret</c> only that group is replaced (so
/// <c>Bearer </c> or a JSON key stays readable); when <see cref="ChecksKeyName"/> is set, its group <c>key</c> must
/// name a secret by whole words (<see cref="SecretKeyNames"/>).
/// </summary>
/// <param name="Name">Rule name, shown in the placeholder <c>[REDACTED:name]</c> and in the report.</param>
/// <param name="Pattern">The shape.</param>
/// <param name="ChecksKeyName">Whether the match only counts when its <c>key</c> group names a secret.</param>
public sealed record SecretRule(string Name, Regex Pattern, bool ChecksKeyName = false)
{
    /// <summary>
    /// Literals (compared ignoring case) of which every match contains at least one; the rule's regex only runs on
    /// text where one occurs. Null: the rule always runs.
    /// </summary>
    public IReadOnlyList<string>? Triggers { get; init; }
}
