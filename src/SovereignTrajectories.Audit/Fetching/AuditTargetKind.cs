namespace SovereignTrajectories.Audit.Fetching;

/// <summary>What a user asked to audit.</summary>
public enum AuditTargetKind
{
    /// <summary>A session coordinate (naddr, <c>39230:pubkey:sid</c>, or author + sid).</summary>
    Session,

    /// <summary>A claim event by id (nevent, note or hex id): a 39211 receipt, a NIP-90 result or a zap receipt.</summary>
    ClaimEvent,

    /// <summary>An OpenAgents RECEIPT.json file.</summary>
    ReceiptFile,
}
