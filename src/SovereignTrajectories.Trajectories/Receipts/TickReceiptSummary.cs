using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Trajectories.Receipts;

/// <summary>
/// The receipt's content: how many steps were committed, their summed usage and cost, and how long
/// the run took when known. Serialised as
/// <c>{"total_events":n,"usage":{"tokens_in","tokens_out","tokens_cached","cost_usd"},"duration_ms"?}</c>.
/// </summary>
public sealed record TickReceiptSummary(long TotalEvents, Usage Usage, long? DurationMs = null);
