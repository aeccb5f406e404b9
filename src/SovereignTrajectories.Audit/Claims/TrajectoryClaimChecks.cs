using SovereignTrajectories.Audit.Checks;

namespace SovereignTrajectories.Audit.Claims;

/// <summary>
/// Compares what a claim says about a trajectory with what the verifier recomputed: claim -> session
/// (coordinate and pinned version) -> steps (trajectory hash, Merkle root and size), and the claimed
/// verification verdict and digest against the recorded ones. A value the claim does not state gives
/// a note, not a pass.
/// </summary>
public static class TrajectoryClaimChecks
{
    public static IEnumerable<CheckResult> Check(TrajectoryClaim claim, ResolvedTrajectory trajectory)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(trajectory);
        string c = claim.EvidenceId;
        string s = trajectory.FinalSessionEventId;

        if (claim.SessionCoordinate is null)
        {
            yield return CheckResult.Note(ClaimCheckNames.SessionCoordinate, "the claim names no session coordinate", c);
        }
        else
        {
            yield return claim.SessionCoordinate == trajectory.SessionCoordinate
                ? CheckResult.Pass(ClaimCheckNames.SessionCoordinate, $"claim names session {trajectory.SessionCoordinate}", c, s)
                : CheckResult.Fail(ClaimCheckNames.SessionCoordinate, $"claim names session {claim.SessionCoordinate}, not the audited {trajectory.SessionCoordinate}", c, s);
        }

        if (claim.SessionEventId is null && !claim.RequiresSessionPin)
        {
            yield return CheckResult.Note(ClaimCheckNames.SessionEvent, "this claim form cannot pin a session event", c);
        }
        else if (claim.SessionEventId is null)
        {
            yield return CheckResult.Fail(ClaimCheckNames.SessionEvent, "the claim pins no session event (a coordinate alone can be replaced)", c);
        }
        else if (claim.SessionEventId == trajectory.FinalSessionEventId)
        {
            yield return CheckResult.Pass(ClaimCheckNames.SessionEvent, "claim pins the final session version", c, s);
        }
        else if (trajectory.SessionVersionIds?.Contains(claim.SessionEventId) == true)
        {
            yield return CheckResult.Warn(ClaimCheckNames.SessionEvent, $"claim pins an older session version {claim.SessionEventId}, not the final {s}", c, claim.SessionEventId, s);
        }
        else
        {
            yield return CheckResult.Fail(ClaimCheckNames.SessionEvent, $"claim pins session event {claim.SessionEventId}, which is no version of this session", c, s);
        }

        yield return Compare(ClaimCheckNames.TrajectoryHash, "trajectory_hash", claim.TrajectoryHash, trajectory.TrajectoryHash, c, s);

        if (claim.MerkleRoot is null && claim.MerkleSize is null)
        {
            yield return CheckResult.Note(ClaimCheckNames.MerkleRoot, "the claim states no merkle_root", c);
        }
        else if (claim.MerkleRoot == trajectory.MerkleRoot && (claim.MerkleSize ?? trajectory.StepCount) == trajectory.StepCount)
        {
            yield return CheckResult.Pass(ClaimCheckNames.MerkleRoot, $"merkle_root over {trajectory.StepCount} steps matches", c, s);
        }
        else
        {
            yield return CheckResult.Fail(
                ClaimCheckNames.MerkleRoot,
                $"claim states merkle_root {claim.MerkleRoot ?? "(none)"} over {claim.MerkleSize?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} steps; recomputed {trajectory.MerkleRoot ?? "(none)"} over {trajectory.StepCount}",
                c,
                s);
        }

        yield return CheckVerification(claim, trajectory);
    }

    private static CheckResult CheckVerification(TrajectoryClaim claim, ResolvedTrajectory trajectory)
    {
        string c = claim.EvidenceId;
        string s = trajectory.FinalSessionEventId;
        if (claim.VerificationPassed is null)
        {
            return trajectory.VerificationPassed is null
                ? CheckResult.Note(ClaimCheckNames.Verification, "neither the claim nor the trajectory records verification", c)
                : CheckResult.Note(ClaimCheckNames.Verification, $"the claim states no verification verdict; the trajectory records {Verdict(trajectory.VerificationPassed)}", c, s);
        }

        if (trajectory.VerificationPassed is null)
        {
            return CheckResult.Fail(ClaimCheckNames.Verification, $"claim says verification {Verdict(claim.VerificationPassed)}, but the trajectory has no verification steps", c, s);
        }

        if (claim.VerificationPassed != trajectory.VerificationPassed)
        {
            return CheckResult.Fail(ClaimCheckNames.Verification, $"claim says verification {Verdict(claim.VerificationPassed)}, the recorded verification {Verdict(trajectory.VerificationPassed)}", c, s);
        }

        if (claim.VerificationDigest is not null && claim.VerificationDigest != trajectory.VerificationDigest)
        {
            return CheckResult.Fail(ClaimCheckNames.Verification, $"claim's verification digest {claim.VerificationDigest} differs from the recomputed {trajectory.VerificationDigest}", c, s);
        }

        return CheckResult.Pass(ClaimCheckNames.Verification, $"claimed verification {Verdict(claim.VerificationPassed)} matches the recorded verification" + (claim.VerificationDigest is null ? " (no digest claimed)" : " and digest"), c, s);
    }

    private static CheckResult Compare(string name, string label, string? claimed, string? recomputed, string claimId, string sessionId)
    {
        if (claimed is null)
        {
            return CheckResult.Note(name, $"the claim states no {label}", claimId);
        }

        return claimed == recomputed
            ? CheckResult.Pass(name, $"{label} matches the recomputed value", claimId, sessionId)
            : CheckResult.Fail(name, $"claim states {label} {claimed}; recomputed {recomputed ?? "(none: no steps)"}", claimId, sessionId);
    }

    private static string Verdict(bool? passed) => passed switch
    {
        true => "passed",
        false => "failed",
        null => "absent",
    };
}
