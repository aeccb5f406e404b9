namespace SovereignTrajectories.Audit.Verification;

/// <summary>
/// The stable names of the trajectory checks (profile §7 items 1-6 and 8). Reports, the --json schema
/// and tests key on these strings; docs/audit-report.md says what each one means. Claim checks use
/// <see cref="Claims.ClaimCheckNames"/>.
/// </summary>
public static class AuditCheckNames
{
    public const string FetchComplete = "fetch.complete";
    public const string FetchFilterMatch = "fetch.filter_match";

    public const string EventParse = "event.parse";
    public const string EventSignature = "event.signature";
    public const string EventAuthor = "event.author";

    public const string SessionFound = "session.found";
    public const string SessionNewest = "session.newest";
    public const string SessionContent = "session.content";
    public const string SessionAppendOnly = "session.append_only";

    public const string StepsContent = "steps.content";
    public const string StepsDTag = "steps.d_tag";
    public const string StepsCoordinate = "steps.coordinate";
    public const string StepsEquivocation = "steps.equivocation";
    public const string StepsContiguous = "steps.contiguous";
    public const string StepsCount = "steps.count";
    public const string StepsReplyChain = "steps.reply_chain";
    public const string StepsRoot = "steps.root";
    public const string StepsAuditTags = "steps.audit_tags";

    public const string TrajectoryHash = "commitment.trajectory_hash";
    public const string MerkleRoot = "commitment.merkle_root";
    public const string VerificationDigest = "commitment.verification_digest";
    public const string VerificationVerdict = "session.verification";
    public const string Usage = "session.usage";
    public const string Reward = "session.reward";

    public const string Timestamps = "timestamps";

    public const string ArchiveOutputs = "archive.outputs";
    public const string ArchiveStatements = "archive.statements";

    public const string LegacyForm = "compat.legacy_form";

    /// <summary>The order checks appear in reports: causes before their consequences.</summary>
    public static IReadOnlyList<string> Order { get; } =
    [
        FetchComplete, FetchFilterMatch, EventParse, EventSignature, EventAuthor,
        SessionFound, SessionNewest, SessionContent, StepsContent, StepsDTag, StepsCoordinate, StepsEquivocation,
        StepsContiguous, StepsCount, StepsReplyChain, StepsRoot, SessionAppendOnly, StepsAuditTags,
        TrajectoryHash, MerkleRoot, VerificationDigest, VerificationVerdict, Usage, Reward, Timestamps,
        ArchiveOutputs, ArchiveStatements, LegacyForm,
    ];
}
