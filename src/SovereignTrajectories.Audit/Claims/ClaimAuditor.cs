using SovereignTrajectories.Audit.Checks;
using SovereignTrajectories.Audit.Payments.Bolt11;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Trajectories.Commitments;
using SovereignTrajectories.Trajectories.Receipts;

namespace SovereignTrajectories.Audit.Claims;

/// <summary>
/// Runs every offline check of profile §6 on one claim and returns the results. Claim events are
/// verified here (id and signature) and events embedded in them (zap requests, NIP-90 requests) are
/// re-parsed strictly and verified. Malformed claims become failed checks, never exceptions, so a
/// report can show them; only null arguments throw.
/// </summary>
public static class ClaimAuditor
{
    /// <summary>Audits a kind 39211 tick receipt against the resolved trajectory it claims to describe.</summary>
    public static CheckList AuditTickReceipt(NostrEvent receiptEvent, ResolvedTrajectory trajectory)
    {
        ArgumentNullException.ThrowIfNull(receiptEvent);
        ArgumentNullException.ThrowIfNull(trajectory);
        var list = new CheckList();
        string id = receiptEvent.Id;
        list.Add(Signature(receiptEvent, "receipt"));

        TickReceipt receipt;
        try
        {
            receipt = TickReceiptParser.Parse(receiptEvent);
        }
        catch (TickReceiptFormatException ex)
        {
            list.Fail(ClaimCheckNames.EventForm, ex.Message, id);
            return list;
        }

        list.Pass(ClaimCheckNames.EventForm, "receipt follows profile §6", id);
        list.Expect(
            receiptEvent.PubKey == trajectory.AgentPubKey,
            ClaimCheckNames.EventAuthor,
            "receipt is signed by the agent key",
            $"receipt is signed by {receiptEvent.PubKey}, not the agent {trajectory.AgentPubKey}",
            id);

        list.AddRange(TrajectoryClaimChecks.Check(
            new TrajectoryClaim(id, receipt.SessionCoordinate, receipt.TrajectoryEventId, receipt.TrajectoryHash, receipt.MerkleRoot, receipt.MerkleRoot is null ? null : receipt.MerkleSize, receipt.VerificationPassed, receipt.VerificationDigest),
            trajectory));

        if (receipt.Bolt11 is not null)
        {
            AddInvoiceClaim(list, receipt.Bolt11, receipt.AmountMsat, id);
        }

        return list;
    }

    /// <summary>
    /// Audits a NIP-90 job result. The request is the one embedded in the result's <c>request</c> tag,
    /// and/or <paramref name="request"/> when the caller fetched it (both must then be the same event).
    /// The trajectory checks run when <paramref name="trajectory"/> is given.
    /// </summary>
    public static CheckList AuditJobResult(NostrEvent resultEvent, ResolvedTrajectory? trajectory, NostrEvent? request = null)
    {
        ArgumentNullException.ThrowIfNull(resultEvent);
        var list = new CheckList();
        string id = resultEvent.Id;
        list.Add(Signature(resultEvent, "job result"));

        JobResult result;
        try
        {
            result = Nip90Parser.ParseResult(resultEvent);
        }
        catch (ClaimFormatException ex)
        {
            list.Fail(ClaimCheckNames.EventForm, ex.Message, id);
            return list;
        }

        list.Pass(ClaimCheckNames.EventForm, "job result tags are well formed", id);
        NostrEvent? resolvedRequest = ResolveRequest(list, result, request);
        if (resolvedRequest is not null)
        {
            list.Add(Nip90Checks.Kind(resolvedRequest, resultEvent));
            list.Add(Nip90Checks.E(resolvedRequest, result.RequestEventId, id));
            list.Add(Nip90Checks.P(resolvedRequest, result.CustomerPubKey, id));
        }

        if (trajectory is not null)
        {
            if (resultEvent.PubKey != trajectory.AgentPubKey)
            {
                list.Warn(ClaimCheckNames.EventAuthor, $"job result is signed by {resultEvent.PubKey}, not the agent key {trajectory.AgentPubKey}", id);
            }

            list.AddRange(TrajectoryClaimChecks.Check(
                new TrajectoryClaim(
                    id,
                    result.SessionCoordinate,
                    result.TrajectoryEventId,
                    result.TrajectoryHash is null ? null : TrajectoryHash.Normalize(result.TrajectoryHash),
                    result.MerkleRoot,
                    result.MerkleSize,
                    null,
                    null),
                trajectory));
        }

        if (result.Bolt11 is not null)
        {
            AddInvoiceClaim(list, result.Bolt11, result.AmountMsat, id);
        }

        return list;
    }

    /// <summary>Audits a NIP-90 feedback event (kind 7000) against the request it answers.</summary>
    public static CheckList AuditJobFeedback(NostrEvent feedbackEvent, NostrEvent request)
    {
        ArgumentNullException.ThrowIfNull(feedbackEvent);
        ArgumentNullException.ThrowIfNull(request);
        var list = new CheckList();
        string id = feedbackEvent.Id;
        list.Add(Signature(feedbackEvent, "job feedback"));

        JobFeedback feedback;
        try
        {
            feedback = Nip90Parser.ParseFeedback(feedbackEvent);
        }
        catch (ClaimFormatException ex)
        {
            list.Fail(ClaimCheckNames.EventForm, ex.Message, id);
            return list;
        }

        list.Expect(
            JobFeedback.KnownStatuses.Contains(feedback.Status),
            ClaimCheckNames.Nip90FeedbackStatus,
            $"status '{feedback.Status}' is a NIP-90 status",
            $"status '{feedback.Status}' is not one of {string.Join(", ", JobFeedback.KnownStatuses)}",
            id);
        list.Add(Nip90Checks.E(request, feedback.RequestEventId, id));
        list.Add(Nip90Checks.P(request, feedback.CustomerPubKey, id));
        if (feedback.Bolt11 is not null)
        {
            AddInvoiceClaim(list, feedback.Bolt11, feedback.AmountMsat, id);
        }

        return list;
    }

    /// <summary>
    /// Audits a NIP-57 zap receipt (kind 9735): the embedded zap request (strict parse, signature,
    /// shape), tags copied from it, what it zaps, the invoice (validity, description hash, amount,
    /// expiry at payment time), payment after the session ended, the preimage, and reports settlement
    /// and the receipt signer's LNURL key as needing the network unless a snapshot key is given.
    /// </summary>
    public static CheckList AuditZapReceipt(NostrEvent zapReceiptEvent, ZapAuditContext context)
    {
        ArgumentNullException.ThrowIfNull(zapReceiptEvent);
        ArgumentNullException.ThrowIfNull(context);
        var list = new CheckList();
        string id = zapReceiptEvent.Id;
        list.Add(Signature(zapReceiptEvent, "zap receipt"));

        ZapReceipt receipt;
        try
        {
            receipt = ZapParser.ParseReceipt(zapReceiptEvent);
        }
        catch (ClaimFormatException ex)
        {
            list.Fail(ClaimCheckNames.EventForm, ex.Message, id);
            return list;
        }

        list.Pass(ClaimCheckNames.EventForm, "zap receipt carries bolt11 and description", id);
        ZapRequest? request = CheckZapRequest(list, receipt);
        if (request is not null)
        {
            CheckCopiedTags(list, receipt, request);
            CheckTarget(list, request, context);
        }

        list.Add(PaymentChecks.InvoiceValid(receipt.Bolt11, out Bolt11Invoice? invoice, id));
        if (invoice is not null)
        {
            list.Add(PaymentChecks.DescriptionHash(invoice, receipt.Description, id));
            list.Add(PaymentChecks.AmountMatches(invoice, context.ClaimedAmountMsat, request?.AmountMsat, id));
            // NIP-57: the receipt's created_at should be the invoice's paid_at.
            list.Add(PaymentChecks.NotExpired(invoice, zapReceiptEvent.CreatedAt, id));
            CheckResult preimage = list.Add(PaymentChecks.Preimage(invoice, receipt.Preimage, id));
            list.Add(PaymentChecks.Settlement(preimage.Status == CheckStatus.Pass, id));
        }

        list.Add(PaymentChecks.AfterSessionEnd(zapReceiptEvent.CreatedAt, context.SessionEndedAt, id));
        if (context.LnurlNostrPubKey is null)
        {
            list.Add(new CheckResult(
                ClaimCheckNames.ZapReceiptSigner,
                CheckStatus.Unverifiable,
                "needs the network: the recipient's LNURL server nostrPubkey (kind 0 lud16/lud06, then /.well-known/lnurlp) was not captured",
                [id],
                Required: false));
        }
        else
        {
            list.Expect(
                zapReceiptEvent.PubKey == context.LnurlNostrPubKey,
                ClaimCheckNames.ZapReceiptSigner,
                "zap receipt is signed by the recipient's LNURL nostrPubkey (from the captured snapshot)",
                $"zap receipt is signed by {zapReceiptEvent.PubKey}, not the LNURL nostrPubkey {context.LnurlNostrPubKey}",
                id);
        }

        return list;
    }

    /// <summary>Audits a RECEIPT.json against the resolved trajectory, including each recorded Lightning payment.</summary>
    public static CheckList AuditOpenAgentsReceipt(OpenAgentsReceipt receipt, ResolvedTrajectory trajectory)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        ArgumentNullException.ThrowIfNull(trajectory);
        var list = new CheckList();
        string source = receipt.Source;
        list.Expect(
            receipt.SessionId == trajectory.SessionId,
            ClaimCheckNames.ReceiptJsonSession,
            $"session_id '{receipt.SessionId}' is the audited session",
            $"session_id '{receipt.SessionId}' is not the audited session '{trajectory.SessionId}'",
            source);
        if (receipt.UsedLegacyHashPrefix)
        {
            list.Note(ClaimCheckNames.TrajectoryHash, "trajectory_hash carries the legacy 'sha256:' prefix", source);
        }

        list.AddRange(TrajectoryClaimChecks.Check(
            new TrajectoryClaim(source, null, null, receipt.TrajectoryHash, null, null, receipt.VerificationPassed, null, RequiresSessionPin: false),
            trajectory));

        foreach (OpenAgentsReceiptPayment payment in receipt.Payments)
        {
            string evidence = $"{source}#payments[{payment.Index}]";
            if (payment.Bolt11 is null)
            {
                list.Note(ClaimCheckNames.InvoiceValid, $"payment {payment.Index} has no bolt11 invoice to check", evidence);
                continue;
            }

            list.Add(PaymentChecks.InvoiceValid(payment.Bolt11, out Bolt11Invoice? invoice, evidence));
            if (invoice is null)
            {
                continue;
            }

            list.Add(PaymentChecks.AmountMatches(invoice, payment.AmountMsat, null, evidence));
            if (payment.PaymentHash is not null)
            {
                list.Expect(
                    string.Equals(payment.PaymentHash, invoice.PaymentHash, StringComparison.OrdinalIgnoreCase),
                    ClaimCheckNames.InvoiceValid,
                    "recorded payment_hash is the invoice's",
                    $"recorded payment_hash {payment.PaymentHash} is not the invoice's {invoice.PaymentHash}",
                    evidence);
            }

            CheckResult preimage = list.Add(PaymentChecks.Preimage(invoice, payment.Preimage, evidence));
            list.Add(PaymentChecks.Settlement(preimage.Status == CheckStatus.Pass, evidence));
        }

        return list;
    }

    private static void AddInvoiceClaim(CheckList list, string bolt11, long? claimedMsat, string evidenceId)
    {
        list.Add(PaymentChecks.InvoiceValid(bolt11, out Bolt11Invoice? invoice, evidenceId));
        if (invoice is not null)
        {
            list.Add(PaymentChecks.AmountMatches(invoice, claimedMsat, null, evidenceId));
        }
    }

    private static CheckResult Signature(NostrEvent e, string what)
    {
        EventCheck check = EventVerifier.Verify(e);
        return check.IsValid
            ? CheckResult.Pass(ClaimCheckNames.EventSignature, $"{what} id and signature are valid", e.Id)
            : CheckResult.Fail(ClaimCheckNames.EventSignature, $"{what} rejected: {check.Reason}", e.Id);
    }

    private static NostrEvent? ResolveRequest(CheckList list, JobResult result, NostrEvent? fetched)
    {
        string id = result.Event.Id;
        NostrEvent? embedded = null;
        if (result.RequestJson is not null)
        {
            try
            {
                embedded = EventParser.Parse(result.RequestJson);
            }
            catch (EventFormatException ex)
            {
                list.Fail(ClaimCheckNames.Nip90Request, $"embedded request is not a well-formed event: {ex.Message}", id);
                return null;
            }
        }

        NostrEvent? request = embedded ?? fetched;
        if (request is null)
        {
            list.Add(new CheckResult(ClaimCheckNames.Nip90Request, CheckStatus.Unverifiable, "no request at hand: the result embeds none and none was fetched", [id]));
            return null;
        }

        if (embedded is not null && fetched is not null && embedded.Id != fetched.Id)
        {
            list.Fail(ClaimCheckNames.Nip90Request, $"embedded request {embedded.Id} is not the fetched request {fetched.Id}", id, fetched.Id);
            return null;
        }

        EventCheck check = EventVerifier.Verify(request);
        if (!check.IsValid)
        {
            list.Fail(ClaimCheckNames.Nip90Request, $"request {request.Id} rejected: {check.Reason}", id, request.Id);
            return null;
        }

        list.Pass(ClaimCheckNames.Nip90Request, embedded is null ? "fetched request verifies" : "embedded request parses strictly and verifies", id, request.Id);
        return request;
    }

    private static ZapRequest? CheckZapRequest(CheckList list, ZapReceipt receipt)
    {
        string id = receipt.Event.Id;
        ZapRequest request;
        try
        {
            request = ZapParser.ParseRequest(receipt.Description, $"zap receipt {id} description");
        }
        catch (ClaimFormatException ex)
        {
            list.Fail(ClaimCheckNames.ZapRequestValid, ex.Message, id);
            return null;
        }

        EventCheck check = EventVerifier.Verify(request.Event);
        if (!check.IsValid)
        {
            list.Fail(ClaimCheckNames.ZapRequestValid, $"zap request {request.Event.Id} rejected: {check.Reason}", id, request.Event.Id);
            return null;
        }

        list.Pass(ClaimCheckNames.ZapRequestValid, "zap request parses strictly and verifies", id, request.Event.Id);
        list.Expect(
            request.ShapeProblems.Count == 0,
            ClaimCheckNames.ZapRequestShape,
            "zap request has one p, at most one e, relays and a well-formed amount",
            "zap request " + string.Join("; ", request.ShapeProblems),
            request.Event.Id);
        return request;
    }

    private static void CheckCopiedTags(CheckList list, ZapReceipt receipt, ZapRequest request)
    {
        var problems = new List<string>();
        if (receipt.RecipientPubKey != request.RecipientPubKey)
        {
            problems.Add($"receipt p {receipt.RecipientPubKey ?? "(none)"} is not the request's {request.RecipientPubKey ?? "(none)"}");
        }

        if (request.EventId is not null && receipt.EventId != request.EventId)
        {
            problems.Add($"receipt e {receipt.EventId ?? "(none)"} is not the request's {request.EventId}");
        }

        if (request.Coordinate is not null && receipt.Coordinate != request.Coordinate)
        {
            problems.Add($"receipt a {receipt.Coordinate ?? "(none)"} is not the request's {request.Coordinate}");
        }

        if (receipt.SenderPubKey is not null && receipt.SenderPubKey != request.Event.PubKey)
        {
            problems.Add($"receipt P {receipt.SenderPubKey} is not the zap request's author {request.Event.PubKey}");
        }

        list.Expect(
            problems.Count == 0,
            ClaimCheckNames.ZapTagsCopied,
            "receipt p/e/a/P equal the zap request's",
            string.Join("; ", problems),
            receipt.Event.Id,
            request.Event.Id);
    }

    private static void CheckTarget(CheckList list, ZapRequest request, ZapAuditContext context)
    {
        if (context.Targets.Count == 0)
        {
            return;
        }

        bool hit = (request.EventId is not null && context.Targets.Contains(request.EventId))
            || (request.Coordinate is not null && context.Targets.Contains(request.Coordinate));
        list.Expect(
            hit,
            ClaimCheckNames.ZapRequestTarget,
            $"zap request points at {request.EventId ?? request.Coordinate}, one of the audited claim's events",
            $"zap request points at e={request.EventId ?? "(none)"} a={request.Coordinate ?? "(none)"}, none of the audited claim's events",
            request.Event.Id);
    }
}
