using SovereignTrajectories.Audit.Fetching;
using SovereignTrajectories.Audit.Tests.Tamper;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Trajectories.Mapping;

namespace SovereignTrajectories.Audit.Tests.Fetching;

public sealed class ArchiveEventSourceTests
{
    [Fact]
    public async Task Returns_only_events_matching_the_filters_from_an_archive_root()
    {
        using SecretKey key = SecretKey.Generate();
        MappedTrajectory a = SampleRun.Publish(key, "run-a").Mapped;
        MappedTrajectory b = SampleRun.Publish(key, "run-b").Mapped;
        string root = Directory.CreateTempSubdirectory("sovtraj-archive-").FullName;
        try
        {
            foreach ((string sid, MappedTrajectory m) in new[] { ("run-a", a), ("run-b", b) })
            {
                string dir = Directory.CreateDirectory(Path.Combine(root, sid)).FullName;
                await File.WriteAllLinesAsync(Path.Combine(dir, "events.jsonl"), m.Events.Select(CanonicalJson.Serialize));
            }

            var source = new ArchiveEventSource(root);
            EventBatch batch = await source.FetchAsync(TrajectoryFilters.ForSession(key.PublicKey.Hex, "run-b"), CancellationToken.None);
            Assert.Equal(b.Events.Select(e => e.Id).Order(StringComparer.Ordinal), batch.Events.Select(e => e.Id).Order(StringComparer.Ordinal));
            Assert.Equal(Path.Combine(root, "run-b"), source.ArtifactsDirectory("run-b"));
            Assert.True(batch.Complete);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Verifies_each_matched_event_once_and_reports_a_forged_one()
    {
        using SecretKey key = SecretKey.Generate();
        MappedTrajectory run = SampleRun.Publish(key, "run-f").Mapped;
        string dir = await WriteArchiveWithForgedStepAsync(run, run.StepEvents[1]);
        try
        {
            var source = new ArchiveEventSource(dir);
            EventBatch first = await source.FetchAsync(TrajectoryFilters.ForSession(key.PublicKey.Hex, "run-f"), CancellationToken.None);
            Assert.NotNull(first.Checks);
            Assert.Equal(first.Events.Count, first.Checks.Count);
            for (int i = 0; i < first.Events.Count; i++)
            {
                Assert.Equal(EventVerifier.Verify(first.Events[i]), first.Checks[i]);
            }

            EventCheck bad = Assert.Single(first.Checks, c => !c.IsValid);
            Assert.StartsWith("id mismatch: computed ", bad.Reason, StringComparison.Ordinal);

            // A second query is answered from the verdicts already reached.
            EventBatch again = await source.FetchAsync(TrajectoryFilters.ForSession(key.PublicKey.Hex, "run-f"), CancellationToken.None);
            Assert.Equal(first.Checks, again.Checks);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Events_a_later_query_asks_for_are_verified_then_and_a_forged_one_is_still_caught()
    {
        using SecretKey key = SecretKey.Generate();
        MappedTrajectory run = SampleRun.Publish(key, "run-l").Mapped;
        string dir = await WriteArchiveWithForgedStepAsync(run, run.StepEvents[2]);
        try
        {
            var source = new ArchiveEventSource(dir);

            // The first query names one other event: only it is verified while the archive is parsed.
            NostrEvent other = run.StepEvents[0];
            EventBatch one = await source.FetchAsync(TrajectoryFilters.ByIds(other.Id), CancellationToken.None);
            Assert.Equal([other.Id], one.Events.Select(e => e.Id));
            Assert.True(Assert.Single(one.Checks!).IsValid);

            EventBatch all = await source.FetchAsync(TrajectoryFilters.ForSession(key.PublicKey.Hex, "run-l"), CancellationToken.None);
            Assert.Equal(run.Events.Count, all.Events.Count);
            for (int i = 0; i < all.Events.Count; i++)
            {
                Assert.Equal(EventVerifier.Verify(all.Events[i]), all.Checks![i]);
            }

            EventCheck bad = Assert.Single(all.Checks!, c => !c.IsValid);
            Assert.StartsWith("id mismatch: computed ", bad.Reason, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>An archive folder holding <paramref name="run"/> with <paramref name="victim"/>'s content edited but not re-signed.</summary>
    private static async Task<string> WriteArchiveWithForgedStepAsync(MappedTrajectory run, NostrEvent victim)
    {
        NostrEvent forged = victim with { Content = victim.Content.Replace("\"", "\" ", StringComparison.Ordinal) };
        string dir = Directory.CreateTempSubdirectory("sovtraj-archive-").FullName;
        await File.WriteAllLinesAsync(Path.Combine(dir, "events.jsonl"), run.Events.Select(e => CanonicalJson.Serialize(e == victim ? forged : e)));
        return dir;
    }

    [Fact]
    public void Rejects_missing_path_naming_it()
    {
        AuditDataException ex = Assert.Throws<AuditDataException>(() => new ArchiveEventSource("/nonexistent/sovtraj-archive"));
        Assert.Contains("/nonexistent/sovtraj-archive", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_lines_longer_than_one_chunk_and_a_last_line_without_newline()
    {
        using SecretKey key = SecretKey.Generate();
        NostrEvent big = EventSigner.Sign(new UnsignedEvent(1_700_000_000, 1, TagList.Empty, new string('x', 5_000_000)), key);
        NostrEvent small = EventSigner.Sign(new UnsignedEvent(1_700_000_001, 1, TagList.Empty, "é\U0001F600"), key);
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, CanonicalJson.Serialize(big) + "\n\n" + CanonicalJson.Serialize(small));
            var failures = new List<EventParseFailure>();
            List<NostrEvent> read = ArchiveEventSource.ReadFile(file, failures, CancellationToken.None);
            Assert.Empty(failures);
            Assert.Equal([big, small], read);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
