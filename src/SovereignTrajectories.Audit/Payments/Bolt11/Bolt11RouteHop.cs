namespace SovereignTrajectories.Audit.Payments.Bolt11;

/// <summary>
/// One hop of an <c>r</c> (private route) field: the channel's start node, its short channel id
/// written <c>block x tx x output</c>, and the fees and CLTV delta to use through it.
/// </summary>
public sealed record Bolt11RouteHop(
    string PubKey,
    string ShortChannelId,
    uint FeeBaseMsat,
    uint FeeProportionalMillionths,
    ushort CltvExpiryDelta);
