using System.Globalization;
using SovereignTrajectories.Nostr.Codecs;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Trajectories.Json;
using SovereignTrajectories.Trajectories.Mapping;
using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Trajectories.Receipts;

/// <summary>
/// Builds the unsigned kind 39211 receipt from a <see cref="TickReceipt"/>: tags in the profile's
/// order (d, a, trajectory, trajectory_hash, merkle_root, status, verification, amount, then a NIP-31
/// alt), content the compact usage summary. Pure: the caller supplies the time.
/// </summary>
public static class TickReceiptBuilder
{
    /// <summary>Builds the event; throws <see cref="ArgumentException"/> naming the field when the receipt is inconsistent.</summary>
    public static UnsignedEvent Build(TickReceipt receipt, long createdAt)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        Validate(receipt);

        var tags = new List<Tag>
        {
            new("d", receipt.SessionId),
            new("a", receipt.SessionCoordinate),
            receipt.TrajectoryRelay is null
                ? new Tag("trajectory", receipt.TrajectoryEventId)
                : new Tag("trajectory", receipt.TrajectoryEventId, receipt.TrajectoryRelay),
        };
        if (receipt.TrajectoryHash is not null)
        {
            tags.Add(new Tag("trajectory_hash", receipt.TrajectoryHash));
        }

        if (receipt.MerkleRoot is not null)
        {
            tags.Add(new Tag("merkle_root", receipt.MerkleRoot, receipt.MerkleSize.ToString(CultureInfo.InvariantCulture)));
        }

        tags.Add(new Tag("status", TickStatusNames.ToWire(receipt.Status)));
        if (receipt.VerificationPassed is bool passed)
        {
            tags.Add(new Tag("verification", passed ? "passed" : "failed", receipt.VerificationDigest!));
        }

        if (receipt.AmountMsat is long amount)
        {
            string msat = amount.ToString(CultureInfo.InvariantCulture);
            tags.Add(receipt.Bolt11 is null ? new Tag("amount", msat) : new Tag("amount", msat, receipt.Bolt11));
        }

        tags.Add(new Tag("alt", $"Agent tick result for session {receipt.SessionId}"));
        return new UnsignedEvent(createdAt, TickReceipt.Kind, tags, WriteContent(receipt.Summary));
    }

    /// <summary>The content JSON for <paramref name="summary"/>.</summary>
    public static string WriteContent(TickReceiptSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        Usage usage = summary.Usage ?? Usage.Zero;
        var w = new CompactJsonWriter(160);
        w.StartObject();
        w.Number("total_events", summary.TotalEvents);
        w.Name("usage");
        w.StartObject();
        w.Number("tokens_in", usage.TokensIn);
        w.Number("tokens_out", usage.TokensOut);
        w.Number("tokens_cached", usage.TokensCached);
        w.Number("cost_usd", usage.CostUsd);
        w.EndObject();
        w.NumberIfNotNull("duration_ms", summary.DurationMs);
        w.EndObject();
        return w.ToJsonString();
    }

    private static void Validate(TickReceipt r)
    {
        SessionIds.Validate(r.SessionId, nameof(TickReceipt.SessionId));
        string[] parts = r.SessionCoordinate?.Split(':', 3) ?? [];
        if (parts.Length != 3 || parts[0] != TrajectoryKinds.Session.ToString(CultureInfo.InvariantCulture) || !Hex.IsLowerHex(parts[1], 64) || parts[2] != r.SessionId)
        {
            throw new ArgumentException($"session coordinate '{r.SessionCoordinate}' is not 39230:<64 hex pubkey>:{r.SessionId}", nameof(TickReceipt.SessionCoordinate));
        }

        RequireHex(r.TrajectoryEventId, nameof(TickReceipt.TrajectoryEventId));
        if (r.TrajectoryHash is not null)
        {
            RequireHex(r.TrajectoryHash, nameof(TickReceipt.TrajectoryHash));
        }

        if (r.MerkleRoot is not null)
        {
            RequireHex(r.MerkleRoot, nameof(TickReceipt.MerkleRoot));
        }

        if (r.MerkleSize < 0)
        {
            throw new ArgumentException($"merkle size {r.MerkleSize} is negative", nameof(TickReceipt.MerkleSize));
        }

        if (r.VerificationPassed.HasValue != (r.VerificationDigest is not null))
        {
            throw new ArgumentException("verification verdict and digest must be given together", nameof(TickReceipt.VerificationDigest));
        }

        if (r.VerificationDigest is not null)
        {
            RequireHex(r.VerificationDigest, nameof(TickReceipt.VerificationDigest));
        }

        if (r.AmountMsat is < 0)
        {
            throw new ArgumentException($"amount {r.AmountMsat} msat is negative", nameof(TickReceipt.AmountMsat));
        }

        if (r.Bolt11 is not null && r.AmountMsat is null)
        {
            throw new ArgumentException("a bolt11 invoice needs the amount it is for", nameof(TickReceipt.Bolt11));
        }

        ArgumentNullException.ThrowIfNull(r.Summary, nameof(TickReceipt.Summary));
    }

    private static void RequireHex(string? value, string field)
    {
        if (value is null || !Hex.IsLowerHex(value, 64))
        {
            throw new ArgumentException($"{field} must be 64 lower-case hex characters, got '{value}'", field);
        }
    }
}
