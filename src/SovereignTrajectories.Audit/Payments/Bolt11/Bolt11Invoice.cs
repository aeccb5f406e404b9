namespace SovereignTrajectories.Audit.Payments.Bolt11;

/// <summary>
/// A decoded BOLT 11 invoice whose checksum and signature have been checked. Hashes, keys and
/// secrets are lower-case hex. <see cref="PayeeNodeId"/> is the key from the <c>n</c> field when
/// present (and the signature verified against it), otherwise the key recovered from the signature.
/// </summary>
/// <param name="Invoice">The invoice text as given (upper case stays upper case).</param>
/// <param name="HumanReadablePart">Lower-case prefix before the separator, e.g. <c>lnbc2500u</c>.</param>
/// <param name="Currency">BIP-173 currency prefix: <c>bc</c>, <c>tb</c>, <c>tbs</c>, <c>bcrt</c> or <c>sb</c>.</param>
/// <param name="AmountMsat">Requested amount in millisatoshi; null for "any amount".</param>
/// <param name="Timestamp">Creation time, Unix seconds.</param>
/// <param name="PaymentHash">Field <c>p</c>: SHA-256 of the payment preimage.</param>
/// <param name="PaymentSecret">Field <c>s</c>.</param>
/// <param name="Description">Field <c>d</c>, when the invoice carries the description inline.</param>
/// <param name="DescriptionHash">Field <c>h</c>: SHA-256 of a description given elsewhere (NIP-57: the zap request).</param>
/// <param name="ExpirySeconds">Field <c>x</c>; 3600 when absent.</param>
/// <param name="MinFinalCltvExpiryDelta">Field <c>c</c>; 18 when absent.</param>
/// <param name="PayeeNodeId">33-byte compressed payee key.</param>
/// <param name="PayeeNodeIdExplicit">True when <see cref="PayeeNodeId"/> came from an <c>n</c> field.</param>
/// <param name="FeatureBits">Field <c>9</c>: the set bit numbers, ascending.</param>
/// <param name="Metadata">Field <c>m</c>.</param>
/// <param name="Routes">Each <c>r</c> field, a route of hops.</param>
/// <param name="Fallbacks">The <c>f</c> fields with known versions, in order.</param>
/// <param name="Signature">64-byte compact signature (r || s).</param>
/// <param name="RecoveryId">The signature's recovery id, 0-3.</param>
/// <param name="SigningHash">SHA-256 of the human-readable part and the data before the signature: what was signed.</param>
public sealed record Bolt11Invoice(
    string Invoice,
    string HumanReadablePart,
    string Currency,
    long? AmountMsat,
    long Timestamp,
    string PaymentHash,
    string PaymentSecret,
    string? Description,
    string? DescriptionHash,
    long ExpirySeconds,
    long MinFinalCltvExpiryDelta,
    string PayeeNodeId,
    bool PayeeNodeIdExplicit,
    IReadOnlyList<int> FeatureBits,
    string? Metadata,
    IReadOnlyList<IReadOnlyList<Bolt11RouteHop>> Routes,
    IReadOnlyList<Bolt11Fallback> Fallbacks,
    string Signature,
    int RecoveryId,
    string SigningHash)
{
    /// <summary>BOLT 11's default expiry when the invoice has no <c>x</c> field.</summary>
    public const long DefaultExpirySeconds = 3600;

    /// <summary>BOLT 11's default <c>min_final_cltv_expiry_delta</c>.</summary>
    public const long DefaultMinFinalCltvExpiryDelta = 18;

    /// <summary>The first second at which a payee should refuse payment.</summary>
    public long ExpiresAt => Timestamp + ExpirySeconds;

    /// <summary>True when <paramref name="unixSeconds"/> lies within <see cref="Timestamp"/>..<see cref="ExpiresAt"/>.</summary>
    public bool IsPayableAt(long unixSeconds) => unixSeconds >= Timestamp && unixSeconds <= ExpiresAt;
}
