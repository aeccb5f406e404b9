namespace SovereignTrajectories.Audit.Checks;

/// <summary>
/// The verdict of one named check. Only <see cref="Fail"/> on a required check makes an audit fail;
/// <see cref="Unverifiable"/> is never a pass: it says the evidence at hand cannot settle the question.
/// </summary>
public enum CheckStatus
{
    /// <summary>The evidence proves the property.</summary>
    Pass,

    /// <summary>The evidence disproves the property.</summary>
    Fail,

    /// <summary>Something is off but does not break the claim (clock skew, an older session version).</summary>
    Warn,

    /// <summary>The property cannot be decided offline or from the evidence given (settlement, LNURL keys).</summary>
    Unverifiable,

    /// <summary>Information only: a legacy form accepted, an optional part absent.</summary>
    Note,
}
