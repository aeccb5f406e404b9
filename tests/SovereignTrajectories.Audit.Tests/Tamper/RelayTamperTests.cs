using SovereignTrajectories.Audit.Checks;
using SovereignTrajectories.Audit.Claims;
using SovereignTrajectories.Audit.Tests.Claims;
using SovereignTrajectories.Audit.Verification;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Nostr.Nip19;
using SovereignTrajectories.Trajectories.Mapping;
using SovereignTrajectories.Trajectories.Model;
using SovereignTrajectories.Trajectories.Receipts;

namespace SovereignTrajectories.Audit.Tests.Tamper;

/// <summary>
/// The tamper suite against the real local relay: a valid run made by the publisher pipeline is
/// published (each test under its own agent key), then each way to cheat is published instead and
/// the exact check that catches it is asserted. Cheats that need two copies of one address (two
/// events for one seq) use the second relay; a hostile relay is the <see cref="ForgingRelay"/> double.
/// </summary>
public sealed class RelayTamperTests(TwoRelaysFixture relays) : IClassFixture<TwoRelaysFixture>, IDisposable
{
    private const string Sid = "run-tamper-1";
    private readonly SecretKey _agent = SecretKey.Generate();
    private readonly SecretKey _attacker = SecretKey.Generate();

    private string Coordinate => $"39230:{_agent.PublicKey.Hex}:{Sid}";

    [Fact]
    public async Task Valid_run_fetched_from_a_relay_passes_every_check()
    {
        MappedTrajectory run = SampleRun.Publish(_agent, Sid).Mapped;
        await TwoRelaysFixture.PublishAsync(relays.First, run.Events);
        string naddr = Nip19Codec.Encode(new NAddr(Sid, _agent.PublicKey.Hex, 39230, [relays.First.ToString()]));
        AuditReport report = await TwoRelaysFixture.AuditAsync(naddr, relays.First);
        AuditAssert.Passes(report);
        Assert.Equal(0, report.ExitCode);
        Assert.Equal(run.StepEvents.Count, report.Trajectory!.Resolved!.StepCount);
        Assert.Equal(run.LatestSession.Id, report.Trajectory.Resolved.FinalSessionEventId);
    }

    [Fact]
    public async Task Valid_run_full_of_unusual_unicode_and_long_outputs_passes_with_no_false_alarm()
    {
        MappedTrajectory run = SampleRun.Publish(_agent, Sid, unicode: true, longOutputChars: 400_000).Mapped;
        Assert.NotEmpty(run.FullOutputs);
        await TwoRelaysFixture.PublishAsync(relays.First, run.Events);
        AuditReport report = await TwoRelaysFixture.AuditAsync(Coordinate, relays.First);
        AuditAssert.Passes(report);
    }

    [Fact]
    public async Task Rejects_step_re_signed_by_another_key()
    {
        MappedTrajectory run = SampleRun.Publish(_agent, Sid).Mapped;
        NostrEvent original = run.StepEvents[3];
        NostrEvent stolen = EventSigner.Sign(Forge.Template(original), _attacker);
        await TwoRelaysFixture.PublishAsync(relays.First, run.Events.Select(e => e.Id == original.Id ? stolen : e));
        AuditReport report = await TwoRelaysFixture.AuditAsync(Coordinate, relays.First);
        AuditAssert.FailsFirstOn(report, AuditCheckNames.EventAuthor);
        Assert.Contains(stolen.Id, report.Checks.Find(AuditCheckNames.EventAuthor)!.EvidenceIds);
    }

    [Fact]
    public async Task Rejects_trajectory_with_a_dropped_step()
    {
        MappedTrajectory run = SampleRun.Publish(_agent, Sid).Mapped;
        await TwoRelaysFixture.PublishAsync(relays.First, run.Events.Where(e => e.Id != run.StepEvents[4].Id));
        AuditReport report = await TwoRelaysFixture.AuditAsync(Coordinate, relays.First);
        AuditAssert.FailsFirstOn(report, AuditCheckNames.StepsContiguous);
        Assert.Contains("missing seq 5", report.Checks.Find(AuditCheckNames.StepsContiguous)!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejects_step_duplicated_with_different_content_on_another_relay()
    {
        MappedTrajectory run = SampleRun.Publish(_agent, Sid).Mapped;
        NostrEvent original = run.StepEvents[2];
        NostrEvent twin = EventSigner.Sign(Forge.Template(original) with { Content = original.Content.Replace("parser", "lexer", StringComparison.Ordinal) }, _agent);
        Assert.NotEqual(original.Content, twin.Content);
        await TwoRelaysFixture.PublishAsync(relays.First, run.Events);
        await TwoRelaysFixture.PublishAsync(relays.Second, [twin]);
        AuditReport report = await TwoRelaysFixture.AuditAsync(Coordinate, relays.First, relays.Second);
        AuditAssert.FailsFirstOn(report, AuditCheckNames.StepsEquivocation);
        IReadOnlyList<string> evidence = report.Checks.Find(AuditCheckNames.StepsEquivocation)!.EvidenceIds;
        Assert.Contains(original.Id, evidence);
        Assert.Contains(twin.Id, evidence);
    }

    [Fact]
    public async Task Rejects_reordered_steps()
    {
        MappedTrajectory run = SampleRun.Publish(_agent, Sid).Mapped;
        NostrEvent second = run.StepEvents[1];
        NostrEvent third = run.StepEvents[2];
        NostrEvent asThird = EventSigner.Sign(Forge.WithTag(Forge.WithTag(Forge.Template(second), "d", $"{Sid}:3"), "seq", "3"), _agent);
        NostrEvent asSecond = EventSigner.Sign(Forge.WithTag(Forge.WithTag(Forge.Template(third), "d", $"{Sid}:2"), "seq", "2"), _agent);
        await TwoRelaysFixture.PublishAsync(relays.First, run.Events.Select(e => e.Id == second.Id ? asSecond : e.Id == third.Id ? asThird : e));
        AuditReport report = await TwoRelaysFixture.AuditAsync(Coordinate, relays.First);
        AuditAssert.FailsFirstOn(report, AuditCheckNames.StepsReplyChain);
        AuditAssert.Status(report, AuditCheckNames.TrajectoryHash, CheckStatus.Fail);
    }

    [Fact]
    public async Task Rejects_newer_session_version_that_removes_steps()
    {
        MappedTrajectory run = SampleRun.Publish(_agent, Sid).Mapped;
        NostrEvent final = run.SessionVersions[^1];
        UnsignedEvent shorter = Forge.Recommit(Forge.Template(final), run.StepEvents, [.. run.StepEvents.Take(run.StepEvents.Count - 2)]) with { CreatedAt = final.CreatedAt + 60 };
        await TwoRelaysFixture.PublishAsync(relays.First, [.. run.Events, EventSigner.Sign(shorter, _agent)]);

        // The relay keeps only the newest version, so what remains is a session that disowns two published steps.
        AuditReport report = await TwoRelaysFixture.AuditAsync(Coordinate, relays.First);
        AuditAssert.FailsFirstOn(report, AuditCheckNames.StepsCount);
    }

    [Fact]
    public async Task Rejects_wrong_trajectory_hash()
    {
        MappedTrajectory run = SampleRun.Publish(_agent, Sid).Mapped;
        string real = run.LatestSession.Tags.FindValue("trajectory_hash")!;
        List<NostrEvent> forged = Forge.Rechain(run, _agent, editFinal: f => Replace(f, real, new string('a', 64)));
        await TwoRelaysFixture.PublishAsync(relays.First, forged);
        AuditReport report = await TwoRelaysFixture.AuditAsync(Coordinate, relays.First);
        AuditAssert.FailsExactlyOn(report, AuditCheckNames.TrajectoryHash);
    }

    [Fact]
    public async Task Rejects_wrong_merkle_root()
    {
        MappedTrajectory run = SampleRun.Publish(_agent, Sid).Mapped;
        string real = run.LatestSession.Tags.FindValue("merkle_root")!;
        List<NostrEvent> forged = Forge.Rechain(run, _agent, editFinal: f => Replace(f, real, new string('b', 64)));
        await TwoRelaysFixture.PublishAsync(relays.First, forged);
        AuditReport report = await TwoRelaysFixture.AuditAsync(Coordinate, relays.First);
        AuditAssert.FailsExactlyOn(report, AuditCheckNames.MerkleRoot);
    }

    [Fact]
    public async Task Rejects_audit_tag_that_lies_about_its_content()
    {
        MappedTrajectory run = SampleRun.Publish(_agent, Sid).Mapped;
        int toolSeq = run.StepEvents.Select((e, i) => (e, i)).First(x => x.e.Tags.FindValue("tool_invoked") == "bash").i + 1;
        List<NostrEvent> forged = Forge.Rechain(run, _agent, editStep: (seq, u) => seq == toolSeq ? Forge.WithTag(u, "output_hash", new string('c', 64)) : u);
        await TwoRelaysFixture.PublishAsync(relays.First, forged);
        AuditReport report = await TwoRelaysFixture.AuditAsync(Coordinate, relays.First);
        AuditAssert.FailsExactlyOn(report, AuditCheckNames.StepsAuditTags);
    }

    [Fact]
    public async Task Rejects_passed_claimed_over_a_failing_test()
    {
        MappedTrajectory run = SampleRun.Publish(_agent, Sid, lastTestPasses: false).Mapped;
        Assert.Contains("\"passed\":false", run.LatestSession.Content, StringComparison.Ordinal);
        List<NostrEvent> forged = Forge.Rechain(run, _agent, editFinal: f => f with { Content = f.Content.Replace("\"passed\":false", "\"passed\":true", StringComparison.Ordinal) });
        await TwoRelaysFixture.PublishAsync(relays.First, forged);
        AuditReport report = await TwoRelaysFixture.AuditAsync(Coordinate, relays.First);
        AuditAssert.FailsExactlyOn(report, AuditCheckNames.VerificationVerdict);
    }

    [Fact]
    public async Task Receipt_and_zap_for_a_valid_run_pass()
    {
        using var claims = new ClaimTestData();
        MappedTrajectory run = SampleRun.Publish(_agent, Sid).Mapped;
        NostrEvent receipt = Receipt(run, run, 21_000, claims.Invoice(21_000, description: "work"));
        NostrEvent zap = claims.ZapReceipt(claims.ZapRequest(receipt.Id, 21_000, recipient: _agent.PublicKey.Hex));
        await TwoRelaysFixture.PublishAsync(relays.First, [.. run.Events, receipt, zap]);
        AuditReport report = await TwoRelaysFixture.AuditAsync(zap.Id, relays.First);
        Assert.True(report.Verdict == AuditVerdict.Pass, report.VerdictLine + "\n" + AuditAssert.Table(report));
        AuditAssert.Status(report, ClaimCheckNames.ZapDescriptionHash, CheckStatus.Pass);
        AuditAssert.Status(report, ClaimCheckNames.PaymentSettled, CheckStatus.Unverifiable);
        Assert.Contains(receipt.Id, report.ClaimEventIds);
    }

    [Fact]
    public async Task Rejects_receipt_pointing_at_another_run()
    {
        MappedTrajectory run = SampleRun.Publish(_agent, Sid).Mapped;
        MappedTrajectory other = SampleRun.Publish(_agent, Sid + "-other").Mapped;
        NostrEvent receipt = Receipt(run, other, null, null);
        await TwoRelaysFixture.PublishAsync(relays.First, [.. run.Events, .. other.Events, receipt]);
        AuditReport report = await TwoRelaysFixture.AuditAsync(receipt.Id, relays.First);
        AuditAssert.FailsExactlyOn(report, ClaimCheckNames.SessionEvent);
    }

    [Fact]
    public async Task Rejects_receipt_whose_invoice_amount_differs_from_the_claim()
    {
        using var claims = new ClaimTestData();
        MappedTrajectory run = SampleRun.Publish(_agent, Sid).Mapped;
        NostrEvent receipt = Receipt(run, run, 21_000, claims.Invoice(42_000, description: "work"));
        await TwoRelaysFixture.PublishAsync(relays.First, [.. run.Events, receipt]);
        AuditReport report = await TwoRelaysFixture.AuditAsync(receipt.Id, relays.First);
        AuditAssert.FailsExactlyOn(report, ClaimCheckNames.InvoiceAmount);
    }

    [Fact]
    public async Task Rejects_zap_receipt_whose_description_hash_does_not_match()
    {
        using var claims = new ClaimTestData();
        MappedTrajectory run = SampleRun.Publish(_agent, Sid).Mapped;
        NostrEvent receipt = Receipt(run, run, 21_000, claims.Invoice(21_000, description: "work"));
        NostrEvent request = claims.ZapRequest(receipt.Id, 21_000, recipient: _agent.PublicKey.Hex);
        NostrEvent zap = claims.ZapReceipt(request, bolt11: claims.Invoice(21_000, descriptionHashOf: "some other zap request"));
        await TwoRelaysFixture.PublishAsync(relays.First, [.. run.Events, receipt, zap]);
        AuditReport report = await TwoRelaysFixture.AuditAsync(zap.Id, relays.First);
        AuditAssert.FailsExactlyOn(report, ClaimCheckNames.ZapDescriptionHash);
    }

    [Fact]
    public async Task Relay_serving_forged_and_unrequested_events_cannot_change_the_verdict()
    {
        MappedTrajectory run = SampleRun.Publish(_agent, Sid).Mapped;
        NostrEvent real = run.StepEvents[3];
        var served = new List<string>
        {
            // A forged copy of a real step under its real id, served before the real one.
            ForgingRelay.Json(real with { Content = real.Content.Replace("Parser.cs", "Evil.cs", StringComparison.Ordinal) }),

            // A well-signed session version by another key under the same sid: not what the filter asked for.
            ForgingRelay.Json(EventSigner.Sign(Forge.Template(run.LatestSession) with { CreatedAt = run.LatestSession.CreatedAt + 100 }, _attacker)),

            // Something nobody asked for.
            ForgingRelay.Json(EventSigner.Sign(new UnsignedEvent(SampleRun.EndedAt, 1, TagList.Empty, "spam"), _attacker)),
        };
        served.AddRange(run.Events.Select(ForgingRelay.Json));
        await using var hostile = new ForgingRelay(served);
        AuditReport report = await TwoRelaysFixture.AuditAsync(Coordinate, hostile.Url);
        Assert.True(report.Verdict == AuditVerdict.Pass, report.VerdictLine + "\n" + AuditAssert.Table(report));
        AuditAssert.Status(report, AuditCheckNames.FetchFilterMatch, CheckStatus.Warn);
        AuditAssert.Status(report, AuditCheckNames.EventSignature, CheckStatus.Pass);
        Assert.Equal(run.LatestSession.Id, report.Trajectory!.Resolved!.FinalSessionEventId);
    }

    [Fact]
    public async Task Unreachable_relay_is_could_not_run_naming_the_relay()
    {
        var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        int port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        AuditReport report = await TwoRelaysFixture.AuditAsync(Coordinate, new Uri($"ws://127.0.0.1:{port}"));
        Assert.Equal(AuditVerdict.CouldNotRun, report.Verdict);
        Assert.Contains($"127.0.0.1:{port}", report.CouldNotRunReason, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _agent.Dispose();
        _attacker.Dispose();
    }

    private static UnsignedEvent Replace(UnsignedEvent u, string from, string to) => u with
    {
        Tags = new TagList(u.Tags.Select(t => new Tag(t.Values.Select(v => v == from ? to : v)))),
        Content = u.Content.Replace(from, to, StringComparison.Ordinal),
    };

    /// <summary>A 39211 receipt claiming <paramref name="claimed"/>'s hashes while pinning <paramref name="pinned"/>'s final session.</summary>
    private NostrEvent Receipt(MappedTrajectory claimed, MappedTrajectory pinned, long? amountMsat, string? bolt11)
    {
        NostrEvent final = claimed.LatestSession;
        ParsedSessionContent content = SessionContentParser.Parse(final.Content, final.Id);
        var receipt = new TickReceipt(
            final.DTag,
            $"39230:{final.PubKey}:{final.DTag}",
            pinned.LatestSession.Id,
            null,
            final.Tags.FindValue("trajectory_hash"),
            final.Tags.FindValue("merkle_root"),
            claimed.StepEvents.Count,
            TickStatus.Success,
            content.Verification?.Passed,
            content.Verification?.Sha256,
            amountMsat,
            bolt11,
            new TickReceiptSummary(claimed.StepEvents.Count, content.Usage ?? Usage.Zero));
        return EventSigner.Sign(TickReceiptBuilder.Build(receipt, SampleRun.EndedAt + 5), _agent);
    }
}
