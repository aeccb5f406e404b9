namespace SovereignTrajectories.Audit.Payments.Bolt11;

/// <summary>
/// An <c>f</c> field: an on-chain fallback. <paramref name="Version"/> 0-16 is a witness version,
/// 17 a P2PKH and 18 a P2SH hash; <paramref name="Address"/> is the address written for the
/// invoice's network, or null when the network has no known address form.
/// </summary>
public sealed record Bolt11Fallback(int Version, string Program, string? Address);
