using SovereignTrajectories.Audit.Checks;
using SovereignTrajectories.Audit.Claims;
using SovereignTrajectories.Nostr.Events;
using static SovereignTrajectories.Audit.Tests.Claims.ClaimTestData;

namespace SovereignTrajectories.Audit.Tests.Claims;

public sealed class JobAuditTests : IDisposable
{
    private readonly ClaimTestData _data = new();
    private readonly NostrEvent _request;

    public JobAuditTests() =>
        _request = EventSigner.Sign(
            new UnsignedEvent(EndedAt - 500, 5050, [new Tag("i", "fix the bug", "text"), new Tag("bid", "30000"), new Tag("p", _data.Agent.PublicKey.Hex)], string.Empty),
            _data.Customer);

    [Fact]
    public void Passes_every_check_for_an_honest_job_result()
    {
        CheckList list = ClaimAuditor.AuditJobResult(Result(), _data.Trajectory);

        Assert.Empty(Failures(list));
        foreach (string name in new[]
        {
            ClaimCheckNames.EventSignature, ClaimCheckNames.Nip90Request, ClaimCheckNames.Nip90Kind, ClaimCheckNames.Nip90E, ClaimCheckNames.Nip90P,
            ClaimCheckNames.SessionCoordinate, ClaimCheckNames.SessionEvent, ClaimCheckNames.TrajectoryHash, ClaimCheckNames.InvoiceValid, ClaimCheckNames.InvoiceAmount,
        })
        {
            AssertStatus(list, name, CheckStatus.Pass);
        }
    }

    [Fact]
    public void Fails_the_kind_check_for_a_result_kind_that_is_not_request_kind_plus_1000()
    {
        AssertOnlyFailure(ClaimAuditor.AuditJobResult(Result(kind: 6051), _data.Trajectory), ClaimCheckNames.Nip90Kind);
    }

    [Fact]
    public void Fails_the_e_check_for_a_result_naming_another_request()
    {
        AssertOnlyFailure(ClaimAuditor.AuditJobResult(Result(e: Hex('5')), _data.Trajectory), ClaimCheckNames.Nip90E);
    }

    [Fact]
    public void Fails_the_p_check_for_a_result_naming_another_customer()
    {
        AssertOnlyFailure(ClaimAuditor.AuditJobResult(Result(p: _data.LnurlServer.PublicKey.Hex), _data.Trajectory), ClaimCheckNames.Nip90P);
    }

    [Fact]
    public void Fails_the_request_check_for_an_embedded_request_that_does_not_verify()
    {
        NostrEvent forged = _request with { Content = "changed" };

        CheckList list = ClaimAuditor.AuditJobResult(Result(embedded: CanonicalJson.Serialize(forged)), _data.Trajectory);

        AssertOnlyFailure(list, ClaimCheckNames.Nip90Request);
    }

    [Fact]
    public void Fails_the_request_check_when_the_embedded_and_fetched_requests_differ()
    {
        NostrEvent other = EventSigner.Sign(new UnsignedEvent(EndedAt - 400, 5050, [], "other"), _data.Customer);

        CheckList list = ClaimAuditor.AuditJobResult(Result(), _data.Trajectory, other);

        AssertOnlyFailure(list, ClaimCheckNames.Nip90Request);
    }

    [Fact]
    public void Uses_a_fetched_request_when_the_result_embeds_none()
    {
        CheckList list = ClaimAuditor.AuditJobResult(Result(embedded: null), _data.Trajectory, _request);

        Assert.Empty(Failures(list));
        AssertStatus(list, ClaimCheckNames.Nip90E, CheckStatus.Pass);
    }

    [Fact]
    public void Reports_the_linkage_as_unverifiable_without_any_request()
    {
        CheckList list = ClaimAuditor.AuditJobResult(Result(embedded: null), _data.Trajectory);

        AssertStatus(list, ClaimCheckNames.Nip90Request, CheckStatus.Unverifiable);
        Assert.Null(list.Find(ClaimCheckNames.Nip90Kind));
    }

    [Fact]
    public void Fails_the_amount_check_when_the_result_amount_differs_from_its_invoice()
    {
        AssertOnlyFailure(ClaimAuditor.AuditJobResult(Result(amount: 30_000, bolt11: _data.Invoice(25_000)), _data.Trajectory), ClaimCheckNames.InvoiceAmount);
    }

    [Fact]
    public void Fails_the_hash_check_for_a_result_claiming_another_trajectory_hash()
    {
        AssertOnlyFailure(ClaimAuditor.AuditJobResult(Result(trajectoryHash: "sha256:" + Hex('6')), _data.Trajectory), ClaimCheckNames.TrajectoryHash);
    }

    [Fact]
    public void Accepts_a_legacy_sha256_prefix_on_the_result_trajectory_hash()
    {
        CheckList list = ClaimAuditor.AuditJobResult(Result(trajectoryHash: "sha256:" + _data.Trajectory.TrajectoryHash), _data.Trajectory);

        AssertStatus(list, ClaimCheckNames.TrajectoryHash, CheckStatus.Pass);
    }

    [Fact]
    public void Fails_the_form_check_for_a_non_numeric_amount()
    {
        CheckList list = ClaimAuditor.AuditJobResult(Result(amountText: "lots"), _data.Trajectory);

        AssertOnlyFailure(list, ClaimCheckNames.EventForm);
        Assert.Contains("tag amount: 'lots' is not a non-negative integer", list.Find(ClaimCheckNames.EventForm)!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Checks_feedback_status_and_linkage()
    {
        NostrEvent good = Feedback("payment-required", _request.Id, _request.PubKey);
        NostrEvent unknownStatus = Feedback("paid-maybe", _request.Id, _request.PubKey);
        NostrEvent wrongE = Feedback("processing", Hex('5'), _request.PubKey);
        NostrEvent wrongP = Feedback("processing", _request.Id, _data.Agent.PublicKey.Hex);

        Assert.Empty(Failures(ClaimAuditor.AuditJobFeedback(good, _request)));
        AssertOnlyFailure(ClaimAuditor.AuditJobFeedback(unknownStatus, _request), ClaimCheckNames.Nip90FeedbackStatus);
        AssertOnlyFailure(ClaimAuditor.AuditJobFeedback(wrongE, _request), ClaimCheckNames.Nip90E);
        AssertOnlyFailure(ClaimAuditor.AuditJobFeedback(wrongP, _request), ClaimCheckNames.Nip90P);
    }

    [Fact]
    public void Reads_the_bid_and_providers_of_a_job_request_and_rejects_other_kinds()
    {
        JobRequest request = Nip90Parser.ParseRequest(_request);
        NostrEvent note = EventSigner.Sign(new UnsignedEvent(EndedAt, 1, [], "hi"), _data.Customer);

        var ex = Assert.Throws<ClaimFormatException>(() => Nip90Parser.ParseRequest(note));

        Assert.Equal(30_000L, request.BidMsat);
        Assert.Equal([_data.Agent.PublicKey.Hex], request.ServiceProviders);
        Assert.Equal($"job request {note.Id}: kind: is 1, a job request is 5000-5999", ex.Message);
    }

    private NostrEvent Feedback(string status, string e, string p) => EventSigner.Sign(
        new UnsignedEvent(EndedAt + 1, 7000, [new Tag("status", status, "info"), new Tag("e", e), new Tag("p", p), new Tag("amount", "21000", _data.Invoice(21_000))], string.Empty),
        _data.Agent);

    private NostrEvent Result(
        int kind = 6050,
        string? e = null,
        string? p = null,
        string? embedded = "",
        long amount = 21_000,
        string? amountText = null,
        string? bolt11 = null,
        string? trajectoryHash = null)
    {
        var tags = new List<Tag>
        {
            new("e", e ?? _request.Id),
            new("p", p ?? _request.PubKey),
        };
        if (embedded is not null)
        {
            tags.Add(new Tag("request", embedded.Length == 0 ? CanonicalJson.Serialize(_request) : embedded));
        }

        tags.Add(new Tag("amount", amountText ?? amount.ToString(System.Globalization.CultureInfo.InvariantCulture), bolt11 ?? _data.Invoice(amount)));
        tags.Add(new Tag("a", _data.Trajectory.SessionCoordinate));
        tags.Add(new Tag("trajectory", _data.Trajectory.FinalSessionEventId, "wss://relay.example"));
        tags.Add(new Tag("trajectory_hash", trajectoryHash ?? _data.Trajectory.TrajectoryHash!));
        return EventSigner.Sign(new UnsignedEvent(EndedAt + 2, kind, tags, "done"), _data.Agent);
    }

    public void Dispose() => _data.Dispose();
}
