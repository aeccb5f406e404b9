namespace SovereignTrajectories.Audit.Fetching;

/// <summary>
/// A parsed audit target. For <see cref="AuditTargetKind.Session"/> <see cref="PubKey"/> may be null
/// only when the session id alone is given (then the sources are searched by <c>d</c>); for
/// <see cref="AuditTargetKind.ClaimEvent"/> <see cref="EventId"/> is set; for
/// <see cref="AuditTargetKind.ReceiptFile"/> <see cref="FilePath"/> is set.
/// </summary>
/// <param name="Text">What the user typed, for messages.</param>
/// <param name="RelayHints">Relays named by the target itself (naddr/nevent TLVs).</param>
public sealed record AuditTarget(
    AuditTargetKind Kind,
    string Text,
    string? PubKey,
    string? Sid,
    string? EventId,
    string? FilePath,
    IReadOnlyList<string> RelayHints)
{
    /// <summary>The session coordinate when both parts are known.</summary>
    public string? Coordinate => PubKey is not null && Sid is not null ? $"39230:{PubKey}:{Sid}" : null;
}
