using SovereignTrajectories.Audit.Checks;
using SovereignTrajectories.Audit.Tests.Tamper;
using SovereignTrajectories.Audit.Verification;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Trajectories.Mapping;

namespace SovereignTrajectories.Audit.Tests.Verification;

public sealed class TrajectoryVerifierTests : IDisposable
{
    private const string Sid = "run-verifier-1";
    private readonly SecretKey _agent = SecretKey.Generate();
    private readonly MappedTrajectory _run;

    public TrajectoryVerifierTests()
    {
        _run = SampleRun.Publish(_agent, Sid, unicode: true, longOutputChars: 70_000).Mapped;
    }

    [Fact]
    public void Any_single_character_edit_of_any_signed_event_fails_the_signature_check()
    {
        // Every event, several positions each (seeded, so a failure reproduces).
        var random = new Random(1234);
        foreach (NostrEvent e in _run.Events)
        {
            for (int k = 0; k < 5; k++)
            {
                int at = random.Next(e.Content.Length);
                if (char.IsSurrogate(e.Content[at]))
                {
                    continue;
                }

                char replacement = e.Content[at] == 'Z' ? 'Y' : 'Z';
                NostrEvent edited = e with { Content = string.Concat(e.Content.AsSpan(0, at), replacement.ToString(), e.Content.AsSpan(at + 1)) };
                TrajectoryVerification v = Verify(_run.Events.Select(x => x.Id == e.Id ? edited : x));
                Assert.True(
                    v.Checks.Find(AuditCheckNames.EventSignature)?.Status == CheckStatus.Fail,
                    $"editing position {at} of event {e.Id} was not caught:\n{string.Join("\n", v.Checks)}");
            }
        }
    }

    [Fact]
    public void Foreign_step_next_to_the_agents_own_is_a_warning_not_a_failure()
    {
        using SecretKey stranger = SecretKey.Generate();
        NostrEvent foreign = EventSigner.Sign(Forge.Template(_run.StepEvents[0]) with { Content = "{\"type\":\"user\",\"content\":\"spam\"}" }, stranger);
        TrajectoryVerification v = Verify([.. _run.Events, foreign]);
        Assert.False(v.Checks.HasFailures, string.Join("\n", v.Checks));
        CheckResult author = v.Checks.Find(AuditCheckNames.EventAuthor)!;
        Assert.Equal(CheckStatus.Warn, author.Status);
        Assert.Contains(foreign.Id, author.EvidenceIds);
    }

    [Fact]
    public void Step_whose_content_is_not_a_step_object_fails_naming_the_event()
    {
        List<NostrEvent> forged = Forge.Rechain(_run, _agent, editStep: (seq, u) => seq == 2 ? u with { Content = "{\"type\":\"agent\",\"content\":42}" } : u);
        TrajectoryVerification v = Verify(forged);
        CheckResult content = v.Checks.Find(AuditCheckNames.StepsContent)!;
        Assert.Equal(CheckStatus.Fail, content.Status);
        Assert.Contains(forged.First(e => e.Tags.FindValue("seq") == "2").Id, content.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{0}:03")]
    [InlineData("{0}:3 ")]
    [InlineData("{0}:+3")]
    [InlineData("{0}-3")]
    [InlineData("{0}:")]
    [InlineData("other:3")]
    [InlineData("{0}x:3")]
    public void Step_whose_d_is_not_exactly_sid_colon_seq_fails_the_d_check_naming_it(string pattern)
    {
        string d = string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, Sid);
        List<NostrEvent> forged = Forge.Rechain(_run, _agent, editStep: (seq, u) => seq == 3 ? u with { Tags = new TagList(u.Tags.Select(t => t.Name == "d" ? new Tag("d", d) : t)) } : u);
        TrajectoryVerification v = Verify(forged);
        CheckResult check = v.Checks.Find(AuditCheckNames.StepsDTag)!;
        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Equal([forged.First(e => e.Tags.FindValue("seq") == "3").Id], check.EvidenceIds);
    }

    [Fact]
    public void Recomputed_values_handed_to_claim_checks_come_from_the_steps()
    {
        TrajectoryVerification v = Verify(_run.Events);
        Assert.False(v.Checks.HasFailures, string.Join("\n", v.Checks));
        Assert.Equal(_run.LatestSession.Tags.FindValue("trajectory_hash"), v.Resolved!.TrajectoryHash);
        Assert.Equal(_run.LatestSession.Tags.FindValue("merkle_root"), v.Resolved.MerkleRoot);
        Assert.Equal(_run.StepEvents.Count, v.Resolved.StepCount);
        Assert.True(v.Resolved.VerificationPassed);
        Assert.Equal(SampleRun.EndedAt, v.Resolved.EndedAt);
    }

    public void Dispose() => _agent.Dispose();

    private TrajectoryVerification Verify(IEnumerable<NostrEvent> events) =>
        new TrajectoryVerifier().Verify(new TrajectoryEvidence(_agent.PublicKey.Hex, Sid, events.ToList(), [], [], Offline: true));
}
