using SovereignTrajectories.Audit.Fetching;
using SovereignTrajectories.Audit.Tests.Tamper;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Trajectories.Mapping;

namespace SovereignTrajectories.Audit.Tests.Fetching;

/// <summary>The archive reader shares repeated values while parsing: same events, same rejections.</summary>
public sealed class ArchiveSharingTests
{
    [Fact]
    public void Shared_parse_keeps_events_and_rejections_as_a_plain_parse_gives_them()
    {
        using SecretKey key = SecretKey.Generate();
        MappedTrajectory run = SampleRun.Publish(key, "shared-unicode", unicode: true).Mapped;
        var lines = run.Events.Select(CanonicalJson.Serialize).ToList();
        string step = lines.Last(l => l.Contains("[\"session\",\"", StringComparison.Ordinal) && l.Contains("\"reply\"]", StringComparison.Ordinal));

        // Broken where the reader now takes the pooled paths: a shared tag's value, the pubkey, a reply id.
        lines.Insert(2, step.Replace("[\"session\",\"", "[\"session\",\"\\ud800", StringComparison.Ordinal));
        lines.Insert(4, step.Replace(key.PublicKey.Hex, key.PublicKey.Hex.ToUpperInvariant(), StringComparison.Ordinal));
        lines.Insert(6, step.Replace("\"reply\"]", "\"reply\",7]", StringComparison.Ordinal));
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(file, lines);
            var failures = new List<EventParseFailure>();
            List<NostrEvent> read = ArchiveEventSource.ReadFile(file, failures, CancellationToken.None);

            var expected = new List<NostrEvent>();
            var expectedFailures = new List<EventParseFailure>();
            for (int i = 0; i < lines.Count; i++)
            {
                if (EventParser.TryParse(System.Text.Encoding.UTF8.GetBytes(lines[i]), new byte[32], out NostrEvent? e, out EventFormatException? error))
                {
                    expected.Add(e);
                }
                else
                {
                    expectedFailures.Add(new EventParseFailure($"{file}:{i + 1}", error.Message));
                }
            }

            Assert.Equal(3, expectedFailures.Count);
            Assert.Equal(expectedFailures, failures);
            Assert.Equal(expected, read);
            Assert.Equal(expected.Select(CanonicalJson.Serialize), read.Select(CanonicalJson.Serialize));

            List<NostrEvent> steps = read.Where(e => TrajectoryKinds.IsStep(e.Kind)).ToList();
            Tag root = steps[0].Tags.All("e").FirstWith(3, "root")!;
            Assert.All(steps, s => Assert.Same(root, s.Tags.All("e").FirstWith(3, "root")));
            Assert.All(steps, s => Assert.Same(steps[0].Tags.Find("session"), s.Tags.Find("session")));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
