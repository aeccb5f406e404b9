namespace SovereignTrajectories.Audit.Verification;

/// <summary>The overall outcome of an audit; the CLI's exit code is its numeric value.</summary>
public enum AuditVerdict
{
    /// <summary>Every required check passed (warnings, notes and unverifiable checks may remain): exit 0.</summary>
    Pass = 0,

    /// <summary>At least one required check failed: exit 1.</summary>
    Fail = 1,

    /// <summary>The audit could not run: no source reachable, the target or its session missing: exit 2.</summary>
    CouldNotRun = 2,
}
