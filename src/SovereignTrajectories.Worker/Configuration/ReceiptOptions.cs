namespace SovereignTrajectories.Worker.Configuration;

/// <summary>The kind 39211 receipt published at the end of each run (profile §6).</summary>
public sealed class ReceiptOptions
{
    /// <summary>Whether a receipt is published when a run ends.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>What the agent claims for every run, in millisatoshi, when the run carries no payment of its own.</summary>
    public long? AmountMsat { get; set; }

    /// <summary>Invoice for <see cref="AmountMsat"/>, when one was issued.</summary>
    public string? Bolt11 { get; set; }
}
