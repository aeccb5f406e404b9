using System.Runtime.Versioning;
using SovereignTrajectories.Cli.Tests.Support;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Testing;

namespace SovereignTrajectories.Cli.Tests.Commands;

/// <summary><c>sovtraj event publish</c> and <c>sovtraj req</c> through the real process against the real local relay.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class RelayCommandTests(LocalRelayFixture relay) : IClassFixture<LocalRelayFixture>
{
    private const string DeadRelay = "ws://127.0.0.1:1";

    private static (SecretKey Key, NostrEvent[] Events) SignedEvents(int count, string marker)
    {
        var key = SecretKey.Generate();
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        NostrEvent[] events = Enumerable.Range(0, count)
            .Select(i => EventSigner.Sign(new UnsignedEvent(now, 1, [new Tag("t", marker)], $"{marker} {i}"), key))
            .ToArray();
        return (key, events);
    }

    private static string JsonLines(IEnumerable<NostrEvent> events) => string.Concat(events.Select(e => CanonicalJson.Serialize(e) + "\n"));

    [Fact]
    public async Task Publish_prints_one_line_per_event_and_relay_and_exits_0_when_every_event_reached_the_quorum()
    {
        (SecretKey key, NostrEvent[] events) = SignedEvents(3, "publish-ok");
        using (key)
        {
            SovtrajResult result = await SovtrajProcess.RunAsync(["event", "publish", "--relay", relay.Url.ToString(), "-"], JsonLines(events));

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(3, result.Lines.Length);
            foreach (NostrEvent e in events)
            {
                Assert.Contains(result.Lines, l => l.StartsWith(e.Id, StringComparison.Ordinal) && l.Contains("accepted", StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public async Task Publish_of_thousands_of_events_gets_every_OK_in_time()
    {
        // All at once, the relay's queue outgrew the 10 s OK timeout and the tail came back "timeout".
        (SecretKey key, NostrEvent[] events) = SignedEvents(3000, "publish-many");
        using (key)
        {
            SovtrajResult result = await SovtrajProcess.RunAsync(["event", "publish", "--relay", relay.Url.ToString(), "-"], JsonLines(events));

            Assert.True(result.ExitCode == 0, string.Join('\n', result.Lines.Where(l => !l.Contains("accepted", StringComparison.Ordinal)).Take(3)) + result.StdErr[..Math.Min(500, result.StdErr.Length)]);
            Assert.Equal(3000, result.Lines.Count(l => l.Contains(" accepted", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public async Task Publish_exits_1_and_says_why_when_a_relay_of_the_quorum_never_got_the_event()
    {
        (SecretKey key, NostrEvent[] events) = SignedEvents(1, "publish-quorum");
        using (key)
        {
            SovtrajResult result = await SovtrajProcess.RunAsync(
                ["event", "publish", "--relay", relay.Url.ToString(), "--relay", DeadRelay, "--quorum", "2", "-"], JsonLines(events));

            Assert.Equal(1, result.ExitCode);
            Assert.Contains(result.Lines, l => l.Contains(DeadRelay, StringComparison.Ordinal) && l.Contains("not sent", StringComparison.Ordinal));
            Assert.Contains(result.Lines, l => l.Contains(relay.Url.ToString().TrimEnd('/'), StringComparison.Ordinal) && l.Contains("accepted", StringComparison.Ordinal));
            Assert.Contains("1 of 2", result.StdErr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Publish_refuses_a_forged_event_before_sending_it()
    {
        (SecretKey key, NostrEvent[] events) = SignedEvents(1, "publish-forged");
        using (key)
        {
            NostrEvent forged = events[0] with { Content = "changed after signing" };

            SovtrajResult result = await SovtrajProcess.RunAsync(["event", "publish", "--relay", relay.Url.ToString(), "-"], JsonLines([forged]));

            Assert.Equal(2, result.ExitCode);
            Assert.Contains($"line 1: event {forged.Id} fails verification: id mismatch", result.StdErr, StringComparison.Ordinal);
            Assert.Equal(string.Empty, result.StdOut);
        }
    }

    [Fact]
    public async Task Publish_names_the_bad_input_line_and_exits_2()
    {
        SovtrajResult result = await SovtrajProcess.RunAsync(["event", "publish", "--relay", relay.Url.ToString(), "-"], "garbage\n");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("line 1", result.StdErr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.StdOut);
    }

    [Fact]
    public async Task Req_json_prints_the_verified_matching_events_as_json_lines_and_counts_on_stderr()
    {
        (SecretKey key, NostrEvent[] events) = SignedEvents(4, "req-json");
        using (key)
        {
            SovtrajResult published = await SovtrajProcess.RunAsync(["event", "publish", "--relay", relay.Url.ToString(), "-"], JsonLines(events));
            Assert.True(published.ExitCode == 0, published.ToString());
            string filter = $"{{\"authors\":[\"{key.PublicKey.Hex}\"],\"#t\":[\"req-json\"]}}";

            SovtrajResult result = await SovtrajProcess.RunAsync("req", "--relay", relay.Url.ToString(), "--filter", filter, "--json");

            Assert.True(result.ExitCode == 0, result.ToString());
            NostrEvent[] received = result.Lines.Select(EventParser.Parse).ToArray();
            Assert.Equal(events.Select(e => e.Id).Order(), received.Select(e => e.Id).Order());
            Assert.All(received, e => Assert.Contains(e, events));
            Assert.Contains("0 dropped", result.StdErr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Req_names_the_bad_filter_and_exits_2()
    {
        SovtrajResult result = await SovtrajProcess.RunAsync("req", "--relay", relay.Url.ToString(), "--filter", "{\"kinds\":\"x\"}");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--filter #1", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("kinds", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prove_fetches_a_published_session_from_the_relay_and_its_proof_checks_offline()
    {
        string dir = Directory.CreateTempSubdirectory("sovtraj-prove-").FullName;
        try
        {
            string keyFile = Path.Combine(dir, "agent.nsec");
            Assert.Equal(0, (await SovtrajProcess.RunAsync("keygen", "--out", keyFile)).ExitCode);
            string pubKey = (await SovtrajProcess.RunAsync("key", "show", "--key", keyFile)).Lines[1];
            string events = Path.Combine(dir, "events.jsonl");
            SovtrajResult converted = await SovtrajProcess.RunAsync(
                "convert", RepoPaths.Combine("samples", "atif", "trajectory.json"), "--key", keyFile, "--out", events);
            Assert.True(converted.ExitCode == 0, converted.ToString());
            NostrEvent[] all = File.ReadAllLines(events).Where(l => l.Length > 0).Select(EventParser.Parse).ToArray();
            SovtrajResult published = await SovtrajProcess.RunAsync("event", "publish", "--relay", relay.Url.ToString(), events);
            Assert.True(published.ExitCode == 0, published.ToString());
            NostrEvent step3 = all.Single(e => e.Kind == 39231 && e.Tags.FindValue("seq") == "3");
            string sid = step3.Tags.FindValue("session")!;

            SovtrajResult fromRelay = await SovtrajProcess.RunAsync(
                "prove", "--session", $"39230:{pubKey}:{sid}", "--relay", relay.Url.ToString(), "--seq", "3");
            SovtrajResult fromFile = await SovtrajProcess.RunAsync("prove", "--events", events, "--seq", "3");

            Assert.True(fromRelay.ExitCode == 0, fromRelay.ToString());
            Assert.Equal(fromFile.StdOut, fromRelay.StdOut);
            Assert.Contains(step3.Id, fromRelay.StdOut, StringComparison.Ordinal);
            string proof = Path.Combine(dir, "proof.json");
            string stepFile = Path.Combine(dir, "step.json");
            File.WriteAllText(proof, fromRelay.StdOut);
            File.WriteAllText(stepFile, CanonicalJson.Serialize(step3));
            Assert.Equal(0, (await SovtrajProcess.RunAsync("verify-proof", proof, "--event", stepFile)).ExitCode);
            File.WriteAllText(stepFile, CanonicalJson.Serialize(all.Single(e => e.Kind == 39231 && e.Tags.FindValue("seq") == "4")));
            Assert.Equal(1, (await SovtrajProcess.RunAsync("verify-proof", proof, "--event", stepFile)).ExitCode);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Prove_needs_exactly_one_source_of_events()
    {
        SovtrajResult neither = await SovtrajProcess.RunAsync("prove", "--seq", "1");
        SovtrajResult notASession = await SovtrajProcess.RunAsync("prove", "--session", "npub1xyz", "--seq", "1");

        Assert.Equal(2, neither.ExitCode);
        Assert.Contains("--events FILE or --session", neither.StdErr, StringComparison.Ordinal);
        Assert.Equal(2, notASession.ExitCode);
    }
}
