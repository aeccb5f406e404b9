using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SovereignTrajectories.Audit.Checks;
using SovereignTrajectories.Audit.Claims;
using SovereignTrajectories.Audit.Fetching;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Filters;
using SovereignTrajectories.Trajectories.Mapping;
using SovereignTrajectories.Trajectories.Receipts;

namespace SovereignTrajectories.Audit.Verification;

/// <summary>
/// Audits a target end to end: resolves it to a session (through a claim event or a RECEIPT.json when
/// that is what was given), fetches every session version and step from the source, runs the
/// trajectory checks, then the claim checks against the recomputed values. Missing data or unreachable
/// sources give <see cref="AuditVerdict.CouldNotRun"/> naming what is missing, never an exception.
/// </summary>
public sealed class TrajectoryAuditor
{
    private readonly IEventSource _source;
    private readonly TrajectoryVerifier _verifier;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IProgress<AuditProgress>? _progress;

    /// <param name="source">Where the events come from.</param>
    /// <param name="verifier">The trajectory checks; default options when not given.</param>
    /// <param name="time">The clock for "now" in the checks and the report.</param>
    /// <param name="logger">Where fetches and runs that could not run are logged.</param>
    /// <param name="progress">Told when the checks start, with the number of events (<see cref="AuditStage.Checking"/>).</param>
    public TrajectoryAuditor(IEventSource source, TrajectoryVerifier? verifier = null, TimeProvider? time = null, ILogger<TrajectoryAuditor>? logger = null, IProgress<AuditProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
        _progress = progress;
        _time = time ?? TimeProvider.System;
        _verifier = verifier ?? new TrajectoryVerifier(time: _time);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public async Task<AuditReport> AuditAsync(AuditTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var state = new AuditState(target, _time);
        try
        {
            AddHints(target.RelayHints);
            switch (target.Kind)
            {
                case AuditTargetKind.Session:
                    await AuditSessionTargetAsync(state, cancellationToken).ConfigureAwait(false);
                    break;
                case AuditTargetKind.ClaimEvent:
                    await AuditClaimEventAsync(state, target.EventId!, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    await AuditReceiptFileAsync(state, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
        catch (AuditDataException ex)
        {
            _logger.LogWarning("Audit of {Target} could not run: {Reason}", target.Text, ex.Message);
            state.CouldNotRun ??= ex.Message;
        }

        return state.Build(_source.Description);
    }

    private async Task AuditSessionTargetAsync(AuditState state, CancellationToken ct)
    {
        string pubKey = state.Target.PubKey ?? await FindAuthorAsync(state, state.Target.Sid!, ct).ConfigureAwait(false);
        await VerifySessionAsync(state, pubKey, state.Target.Sid!, ct).ConfigureAwait(false);
    }

    private async Task<TrajectoryVerification?> VerifySessionAsync(AuditState state, string pubKey, string sid, CancellationToken ct)
    {
        state.Coordinate = TrajectoryKinds.Coordinate(pubKey, sid);
        EventBatch batch = await FetchAsync(state, TrajectoryFilters.ForSession(pubKey, sid), ct).ConfigureAwait(false);
        state.Sources.AddRange(batch.Sources);
        state.EventsFetched += batch.Events.Count;
        _logger.LogInformation("Fetched {Count} events for {Coordinate} from {Source}", batch.Events.Count, state.Coordinate, _source.Description);
        _progress?.Report(new AuditProgress(AuditStage.Checking, batch.Events.Count, null));
        TrajectoryVerification verification = _verifier.Verify(new TrajectoryEvidence(
            pubKey, sid, batch.Events, batch.ParseFailures, batch.Sources, _source.IsOffline, _source.ArtifactsDirectory(sid), PreVerified: !_source.IsOffline, batch.Checks));
        state.Trajectory = verification;
        state.Checks.AddRange(verification.Checks);
        if (verification.CouldNotRun)
        {
            state.CouldNotRun = verification.CouldNotRunReason;
            return null;
        }

        return verification;
    }

    /// <summary>One query to the source, its time added to the report's <see cref="AuditReport.FetchElapsed"/>.</summary>
    private async Task<EventBatch> FetchAsync(AuditState state, IReadOnlyList<Filter> filters, CancellationToken ct)
    {
        long started = _time.GetTimestamp();
        try
        {
            return await _source.FetchAsync(filters, ct).ConfigureAwait(false);
        }
        finally
        {
            state.FetchElapsed += _time.GetElapsedTime(started);
        }
    }

    private async Task<string> FindAuthorAsync(AuditState state, string sid, CancellationToken ct)
    {
        EventBatch batch = await FetchAsync(state, TrajectoryFilters.SessionsById(sid), ct).ConfigureAwait(false);
        string[] authors = batch.Events.Where(EventVerifier.IsValid).Select(e => e.PubKey).Distinct(StringComparer.Ordinal).ToArray();
        return authors.Length switch
        {
            1 => authors[0],
            0 => throw new AuditDataException($"no valid session event with d = '{sid}' in {_source.Description}; give the agent key with --author"),
            _ => throw new AuditDataException($"{authors.Length} different agents published a session '{sid}' ({string.Join(", ", authors.Take(5))}); give the agent key with --author"),
        };
    }

    private async Task<NostrEvent> FetchEventAsync(AuditState state, string id, string what, CancellationToken ct)
    {
        EventBatch batch = await FetchAsync(state, TrajectoryFilters.ByIds(id), ct).ConfigureAwait(false);
        NostrEvent[] found = batch.Events.Where(e => e.Id == id).ToArray();
        if (found.Length == 0)
        {
            throw new AuditDataException($"{what} {id} not found in {_source.Description}");
        }

        // Prefer a copy that verifies: a forged copy with the same id must not shadow the real one.
        return found.FirstOrDefault(EventVerifier.IsValid) ?? found[0];
    }

    private async Task AuditClaimEventAsync(AuditState state, string id, CancellationToken ct)
    {
        NostrEvent claim = await FetchEventAsync(state, id, "claim event", ct).ConfigureAwait(false);
        state.ClaimIds.Add(claim.Id);
        switch (claim.Kind)
        {
            case TickReceipt.Kind:
                await AuditReceiptAsync(state, claim, ct).ConfigureAwait(false);
                break;
            case >= JobResult.MinKind and <= JobResult.MaxKind:
                await AuditJobResultAsync(state, claim, ct).ConfigureAwait(false);
                break;
            case ZapReceipt.Kind:
                await AuditZapAsync(state, claim, ct).ConfigureAwait(false);
                break;
            case TrajectoryKinds.Session or TrajectoryKinds.LegacySession:
                await VerifySessionAsync(state, claim.PubKey, claim.DTag, ct).ConfigureAwait(false);
                break;
            default:
                throw new AuditDataException($"event {claim.Id} is kind {claim.Kind}: not a session (39230), receipt (39211), NIP-90 result (6000-6999) or zap receipt (9735)");
        }
    }

    private async Task<ResolvedTrajectory?> AuditReceiptAsync(AuditState state, NostrEvent claim, CancellationToken ct)
    {
        TickReceipt receipt;
        try
        {
            receipt = TickReceiptParser.Parse(claim);
        }
        catch (TickReceiptFormatException ex)
        {
            state.Checks.AddRange(ClaimAuditorFallback(claim, ex.Message));
            return null;
        }

        AddHints([receipt.TrajectoryRelay]);
        (string pubKey, string sid) = SplitCoordinate(receipt.SessionCoordinate, claim.Id);
        TrajectoryVerification? verification = await VerifySessionAsync(state, pubKey, sid, ct).ConfigureAwait(false);
        if (verification?.Resolved is not { } resolved)
        {
            return null;
        }

        state.Checks.AddRange(ClaimAuditor.AuditTickReceipt(claim, resolved));
        return resolved;
    }

    private async Task<ResolvedTrajectory?> AuditJobResultAsync(AuditState state, NostrEvent claim, CancellationToken ct)
    {
        JobResult result;
        try
        {
            result = Nip90Parser.ParseResult(claim);
        }
        catch (ClaimFormatException ex)
        {
            state.Checks.AddRange(ClaimAuditorFallback(claim, ex.Message));
            return null;
        }

        string? coordinate = result.SessionCoordinate;
        if (coordinate is null && result.TrajectoryEventId is { } sessionId)
        {
            NostrEvent session = await FetchEventAsync(state, sessionId, "session event named by the job result", ct).ConfigureAwait(false);
            coordinate = TrajectoryKinds.Coordinate(session.PubKey, session.DTag);
        }

        NostrEvent? request = null;
        if (result.RequestJson is null && result.RequestEventId is { } requestId)
        {
            EventBatch batch = await FetchAsync(state, TrajectoryFilters.ByIds(requestId), ct).ConfigureAwait(false);
            request = batch.Events.FirstOrDefault(e => e.Id == requestId && EventVerifier.IsValid(e));
        }

        ResolvedTrajectory? resolved = null;
        if (coordinate is not null)
        {
            (string pubKey, string sid) = SplitCoordinate(coordinate, claim.Id);
            resolved = (await VerifySessionAsync(state, pubKey, sid, ct).ConfigureAwait(false))?.Resolved;
            if (resolved is null)
            {
                return null;
            }
        }

        state.Checks.AddRange(ClaimAuditor.AuditJobResult(claim, resolved, request));
        return resolved;
    }

    private async Task AuditZapAsync(AuditState state, NostrEvent zap, CancellationToken ct)
    {
        ZapRequest? request = null;
        try
        {
            request = ZapParser.ParseRequest(ZapParser.ParseReceipt(zap).Description, $"zap receipt {zap.Id} description");
        }
        catch (ClaimFormatException)
        {
            // The zap checks below report the malformed receipt; there is just nothing to follow.
        }

        ResolvedTrajectory? resolved = null;
        long? claimed = null;
        var targets = new List<string>();
        if (request?.EventId is { } targetId)
        {
            NostrEvent target = await FetchEventAsync(state, targetId, "event the zap pays for", ct).ConfigureAwait(false);
            state.ClaimIds.Add(target.Id);
            targets.Add(target.Id);
            switch (target.Kind)
            {
                case TickReceipt.Kind:
                    resolved = await AuditReceiptAsync(state, target, ct).ConfigureAwait(false);
                    claimed = TryParseReceipt(target)?.AmountMsat;
                    break;
                case >= JobResult.MinKind and <= JobResult.MaxKind:
                    resolved = await AuditJobResultAsync(state, target, ct).ConfigureAwait(false);
                    claimed = TryParseJobResult(target)?.AmountMsat;
                    break;
                case TrajectoryKinds.Session or TrajectoryKinds.LegacySession:
                    resolved = (await VerifySessionAsync(state, target.PubKey, target.DTag, ct).ConfigureAwait(false))?.Resolved;
                    break;
            }
        }
        else if (request?.Coordinate is { } coordinate && coordinate.StartsWith(TrajectoryKinds.Session + ":", StringComparison.Ordinal))
        {
            (string pubKey, string sid) = SplitCoordinate(coordinate, zap.Id);
            resolved = (await VerifySessionAsync(state, pubKey, sid, ct).ConfigureAwait(false))?.Resolved;
        }

        if (resolved is not null)
        {
            targets.Add(resolved.SessionCoordinate);
            targets.Add(resolved.FinalSessionEventId);
        }

        state.Checks.AddRange(ClaimAuditor.AuditZapReceipt(zap, new ZapAuditContext(targets, claimed, resolved?.EndedAt)));
    }

    private async Task AuditReceiptFileAsync(AuditState state, CancellationToken ct)
    {
        OpenAgentsReceipt receipt;
        try
        {
            receipt = OpenAgentsReceiptReader.ReadFile(state.Target.FilePath!);
        }
        catch (ClaimFormatException ex)
        {
            throw new AuditDataException(ex.Message, ex);
        }

        state.ClaimIds.Add(receipt.Source);
        string pubKey = state.Target.PubKey ?? await FindAuthorAsync(state, receipt.SessionId, ct).ConfigureAwait(false);
        TrajectoryVerification? verification = await VerifySessionAsync(state, pubKey, receipt.SessionId, ct).ConfigureAwait(false);
        if (verification?.Resolved is { } resolved)
        {
            state.Checks.AddRange(ClaimAuditor.AuditOpenAgentsReceipt(receipt, resolved));
        }
    }

    private static IEnumerable<CheckResult> ClaimAuditorFallback(NostrEvent claim, string reason)
    {
        EventCheck check = EventVerifier.Verify(claim);
        yield return check.IsValid
            ? CheckResult.Pass(ClaimCheckNames.EventSignature, "claim id and signature are valid", claim.Id)
            : CheckResult.Fail(ClaimCheckNames.EventSignature, $"claim rejected: {check.Reason}", claim.Id);
        yield return CheckResult.Fail(ClaimCheckNames.EventForm, reason, claim.Id);
    }

    private static TickReceipt? TryParseReceipt(NostrEvent e)
    {
        try
        {
            return TickReceiptParser.Parse(e);
        }
        catch (TickReceiptFormatException)
        {
            return null;
        }
    }

    private static JobResult? TryParseJobResult(NostrEvent e)
    {
        try
        {
            return Nip90Parser.ParseResult(e);
        }
        catch (ClaimFormatException)
        {
            return null;
        }
    }

    private static (string PubKey, string Sid) SplitCoordinate(string coordinate, string claimId) =>
        coordinate.Split(':', 3) is [_, string pk, string sid] && pk.Length == 64
            ? (pk, sid)
            : throw new AuditDataException($"claim {claimId} names '{coordinate}', not a session coordinate 39230:<pubkey>:<sid>");

    private void AddHints(IEnumerable<string?> hints)
    {
        if (_source is RelayEventSource relays)
        {
            relays.AddRelayHints(hints);
        }
    }

    /// <summary>The audit in progress.</summary>
    private sealed class AuditState(AuditTarget target, TimeProvider time)
    {
        private readonly DateTimeOffset _startedAt = time.GetUtcNow();
        private readonly long _started = time.GetTimestamp();

        public AuditTarget Target => target;

        public string? Coordinate { get; set; }

        public string? CouldNotRun { get; set; }

        public CheckList Checks { get; } = new();

        public TrajectoryVerification? Trajectory { get; set; }

        public List<string> ClaimIds { get; } = [];

        public List<SourceReport> Sources { get; } = [];

        public long EventsFetched { get; set; }

        public TimeSpan FetchElapsed { get; set; }

        public AuditReport Build(string source)
        {
            AuditVerdict verdict = CouldNotRun is not null
                ? AuditVerdict.CouldNotRun
                : Checks.HasFailures ? AuditVerdict.Fail : AuditVerdict.Pass;
            return new AuditReport(
                target.Text,
                target.Kind,
                Coordinate,
                source,
                verdict,
                CouldNotRun,
                Checks,
                Trajectory,
                ClaimIds.Distinct(StringComparer.Ordinal).ToList(),
                Sources.DistinctBy(s => s.Source).ToList(),
                _startedAt,
                EventsFetched,
                time.GetElapsedTime(_started))
            {
                FetchElapsed = FetchElapsed,
            };
        }
    }
}
