using SovereignTrajectories.Audit.Checks;
using SovereignTrajectories.Audit.Verification;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Trajectories.Mapping;

namespace SovereignTrajectories.Audit.Tests.Tamper;

/// <summary>
/// Cheats a relay would refuse or overwrite (a bad signature; an older session version next to the
/// newer one), and archive contents (full outputs, statements), audited offline from an archive folder
/// exactly as <c>sovtraj verify --offline DIR</c> does.
/// </summary>
public sealed class OfflineTamperTests : IDisposable
{
    private const string Sid = "run-offline-1";
    private readonly SecretKey _agent = SecretKey.Generate();
    private readonly MappedTrajectory _run;

    public OfflineTamperTests()
    {
        _run = SampleRun.Publish(_agent, Sid).Mapped;
    }

    [Fact]
    public async Task Archive_of_a_valid_run_with_its_outputs_and_statements_passes()
    {
        using var archive = new TestArchive(_run.Events, _run);
        AuditReport report = await archive.AuditAsync(_agent.PublicKey.Hex, Sid);
        AuditAssert.Passes(report);
        AuditAssert.Status(report, AuditCheckNames.ArchiveOutputs, CheckStatus.Pass);
        AuditAssert.Status(report, AuditCheckNames.ArchiveStatements, CheckStatus.Pass);
        AuditAssert.Status(report, AuditCheckNames.SessionAppendOnly, CheckStatus.Pass);
    }

    [Fact]
    public async Task Rejects_step_whose_content_was_edited_without_re_signing()
    {
        NostrEvent step = _run.StepEvents[3];
        NostrEvent edited = step with { Content = step.Content.Replace("Parser.cs", "Hacked.cs", StringComparison.Ordinal) };
        Assert.NotEqual(step.Content, edited.Content);
        using var archive = new TestArchive(_run.Events.Select(e => e.Id == step.Id ? edited : e), _run);
        AuditReport report = await archive.AuditAsync(_agent.PublicKey.Hex, Sid);
        AuditAssert.FailsFirstOn(report, AuditCheckNames.EventSignature);
        Assert.Contains(step.Id, report.Checks.Find(AuditCheckNames.EventSignature)!.EvidenceIds);
    }

    [Fact]
    public async Task Rejects_session_version_that_removes_steps()
    {
        NostrEvent final = _run.SessionVersions[^1];
        NostrEvent[] kept = _run.StepEvents.Take(_run.StepEvents.Count - 2).ToArray();
        UnsignedEvent shorter = Forge.Recommit(Forge.Template(final), _run.StepEvents, kept) with { CreatedAt = final.CreatedAt + 60 };
        NostrEvent rewrite = EventSigner.Sign(shorter, _agent);
        using var archive = new TestArchive([.. _run.Events, rewrite], _run);
        AuditReport report = await archive.AuditAsync(_agent.PublicKey.Hex, Sid);
        AuditAssert.Status(report, AuditCheckNames.SessionAppendOnly, CheckStatus.Fail);
        Assert.Contains(rewrite.Id, report.Checks.Find(AuditCheckNames.SessionAppendOnly)!.EvidenceIds);
    }

    [Fact]
    public async Task Rejects_session_version_that_rewrites_earlier_history()
    {
        // An older version committed to a different first step than the one the newest commits to.
        NostrEvent opening = _run.SessionVersions[0];
        NostrEvent fakeStep = EventSigner.Sign(Forge.Template(_run.StepEvents[0]) with { Content = "{\"type\":\"user\",\"content\":\"other\"}" }, _agent);
        UnsignedEvent checkpoint = Forge.Recommit(Forge.Template(_run.SessionVersions[^1]), [.. _run.StepEvents.Take(2)], [fakeStep, _run.StepEvents[1]]);
        NostrEvent older = EventSigner.Sign(
            checkpoint with
            {
                CreatedAt = opening.CreatedAt + 1,
                Tags = new TagList(checkpoint.Tags.Where(t => t.Name != "ended_at" && t.Name != "trajectory_hash")),
            },
            _agent);
        using var archive = new TestArchive([.. _run.Events, older], _run);
        AuditReport report = await archive.AuditAsync(_agent.PublicKey.Hex, Sid);
        AuditAssert.FailsExactlyOn(report, AuditCheckNames.SessionAppendOnly);
    }

    [Fact]
    public async Task Rejects_archived_full_output_that_does_not_match_the_step_hash()
    {
        using var archive = new TestArchive(_run.Events, _run);
        int seq = _run.FullOutputs.Keys.Single();
        File.AppendAllText(Path.Combine(archive.Directory, "outputs", TestArchive.Seq(seq) + ".txt"), "tampered");
        AuditReport report = await archive.AuditAsync(_agent.PublicKey.Hex, Sid);
        AuditAssert.FailsExactlyOn(report, AuditCheckNames.ArchiveOutputs);
    }

    [Fact]
    public async Task Rejects_archived_statement_that_does_not_match_the_step_hash()
    {
        using var archive = new TestArchive(_run.Events, _run);
        string file = Directory.GetFiles(Path.Combine(archive.Directory, "statements")).Order(StringComparer.Ordinal).First();
        File.WriteAllText(file, File.ReadAllText(file).Replace("FAILED", "PASSED", StringComparison.Ordinal));
        AuditReport report = await archive.AuditAsync(_agent.PublicKey.Hex, Sid);
        AuditAssert.FailsExactlyOn(report, AuditCheckNames.ArchiveStatements);
    }

    [Fact]
    public async Task Reports_malformed_archive_line_with_file_and_line_number()
    {
        using var archive = new TestArchive(_run.Events, _run);
        string events = Path.Combine(archive.Directory, "events.jsonl");
        File.AppendAllText(events, "{\"id\":\"not hex\"}\n");
        AuditReport report = await archive.AuditAsync(_agent.PublicKey.Hex, Sid);
        AuditAssert.FailsExactlyOn(report, AuditCheckNames.EventParse);
        CheckResult parse = report.Checks.Find(AuditCheckNames.EventParse)!;
        Assert.Contains($"{events}:{_run.Events.Count + 1}", parse.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_session_is_could_not_run_naming_the_coordinate()
    {
        using var archive = new TestArchive(_run.StepEvents, _run);
        AuditReport report = await archive.AuditAsync(_agent.PublicKey.Hex, Sid);
        Assert.Equal(AuditVerdict.CouldNotRun, report.Verdict);
        Assert.Equal(2, report.ExitCode);
        Assert.Contains($"39230:{_agent.PublicKey.Hex}:{Sid}", report.CouldNotRunReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Offline_verdict_does_not_depend_on_event_order_in_the_archive()
    {
        var shuffled = _run.Events.ToList();
        new Random(7).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(shuffled));
        using var archive = new TestArchive([.. shuffled, .. shuffled.Take(3)], _run);
        AuditReport report = await archive.AuditAsync(_agent.PublicKey.Hex, Sid);
        AuditAssert.Passes(report);
    }

    public void Dispose() => _agent.Dispose();
}
