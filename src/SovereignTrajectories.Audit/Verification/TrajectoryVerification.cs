using SovereignTrajectories.Audit.Checks;
using SovereignTrajectories.Audit.Claims;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Trajectories.Mapping;

namespace SovereignTrajectories.Audit.Verification;

/// <summary>
/// The verifier's result for one session: every check, the run rebuilt from the chosen events (null when
/// the events could not be read), the recomputed values claims are compared with, and, when the audit
/// could not run at all (no session found), why.
/// </summary>
public sealed record TrajectoryVerification(
    CheckList Checks,
    string? CouldNotRunReason,
    TrajectoryReadResult? Read,
    ResolvedTrajectory? Resolved,
    ParsedSessionContent? SessionContent,
    IReadOnlyList<NostrEvent> SessionVersions)
{
    public bool CouldNotRun => CouldNotRunReason is not null;
}
