using System.Globalization;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Trajectories.Commitments;
using SovereignTrajectories.Trajectories.Json;
using SovereignTrajectories.Trajectories.Mapping;
using SovereignTrajectories.Trajectories.Model;
using SovereignTrajectories.Trajectories.Receipts;
using SovereignTrajectories.Trajectories.Verification;
using SovereignTrajectories.Worker.Configuration;

namespace SovereignTrajectories.Worker.Pipeline;

/// <summary>
/// The 39211 receipt of a finished run (profile §6): it pins the final session version by id and
/// repeats its commitments (trajectory hash, Merkle root), the verification verdict and digest, the
/// usage and cost, and the amount claimed: the run's own incoming payment, else the configured one.
/// </summary>
public static class ReceiptFactory
{
    /// <summary>Builds the unsigned receipt for <paramref name="finalSession"/>, the newest (final) version of the session in <paramref name="state"/>.</summary>
    public static UnsignedEvent Build(PublishedState state, NostrEvent finalSession, ReceiptOptions options, string relayHint, long createdAt)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(finalSession);
        ArgumentNullException.ThrowIfNull(options);
        Trajectory t = state.Trajectory;
        string? merkleRoot = finalSession.Tags.FindValue("merkle_root");
        VerificationStep[] checks = t.Verifications.ToArray();
        bool? passed = null;
        string? digest = null;
        if (checks.Length > 0)
        {
            passed = VerificationVerdict.Compute(checks.Select(v => new VerificationRecord(WireNames.Of(v.Kind), v.Succeeded))).Passed;
            digest = VerificationDigest.Compute(checks.Select(v => v.StatementSha256Hex).OfType<string>());
        }

        Payment? payment = t.Payments.FirstOrDefault(p => p.Direction is null || string.Equals(p.Direction, "in", StringComparison.OrdinalIgnoreCase));
        long? amount = payment?.AmountMsat ?? options.AmountMsat;
        string? bolt11 = payment is not null ? payment.Bolt11 : (string.IsNullOrEmpty(options.Bolt11) ? null : options.Bolt11);
        long? duration = t.Session.EndedAt is { } end ? (long)(end - t.Session.StartedAt).TotalMilliseconds : null;
        var receipt = new TickReceipt(
            state.Sid,
            state.Coordinate,
            finalSession.Id,
            relayHint.Length == 0 ? null : relayHint,
            finalSession.Tags.FindValue("trajectory_hash"),
            merkleRoot,
            merkleRoot is null ? 0 : state.StepCount,
            StatusOf(t),
            passed,
            digest,
            amount,
            amount is null ? null : bolt11,
            new TickReceiptSummary(state.StepCount, t.TotalUsage ?? Usage.Zero, duration is >= 0 ? duration : null));
        return TickReceiptBuilder.Build(receipt, createdAt);
    }

    /// <summary>How the run ended: the last <c>session_end</c> step's status when it names a failure or timeout, else success.</summary>
    public static TickStatus StatusOf(Trajectory trajectory)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        string status = trajectory.Steps.OfType<SessionEndStep>().LastOrDefault()?.Status?.ToLower(CultureInfo.InvariantCulture) ?? string.Empty;
        if (status.Contains("timeout", StringComparison.Ordinal) || status.Contains("timed_out", StringComparison.Ordinal))
        {
            return TickStatus.Timeout;
        }

        return status.Contains("fail", StringComparison.Ordinal) || status.Contains("error", StringComparison.Ordinal) || status.Contains("abort", StringComparison.Ordinal)
            ? TickStatus.Failure
            : TickStatus.Success;
    }
}
