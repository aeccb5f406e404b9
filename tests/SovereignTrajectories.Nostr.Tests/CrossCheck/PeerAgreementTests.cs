using System.Text.Json;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Keys;
using Xunit.Abstractions;

namespace SovereignTrajectories.Nostr.Tests.CrossCheck;

/// <summary>
/// Our ids, signatures and verdicts against three other implementations (nostr-tools in pure JS,
/// nostr-tools over nostr-wasm's libsecp256k1, rust-nostr in WASM) on random events full of
/// characters that serialisers get wrong. A failure names the seed that replays it.
/// </summary>
public sealed class PeerAgreementTests(ITestOutputHelper output)
{
    private const int EventsPerRun = 1000;

    [Fact]
    public async Task Ids_equal_nostr_tools_and_rust_nostr_ids_for_random_events()
    {
        var gen = NewGenerator();
        using SecretKey key = SecretKey.Generate();
        string pubKey = key.PublicKey.Hex;
        var templates = Enumerable.Range(0, EventsPerRun).Select(_ => gen.NextTemplate()).ToList();

        IReadOnlyList<JsonElement> answers = await CrossCheckPeer.RunAsync(
            templates.Select(t => CrossCheckPeer.HashCommand(pubKey, t.CreatedAt, t.Kind, t.Tags, t.Content)).ToList());

        for (int i = 0; i < templates.Count; i++)
        {
            UnsignedEvent t = templates[i];
            string ours = EventId.Compute(pubKey, t.CreatedAt, t.Kind, t.Tags, t.Content);
            Assert.True(ours == answers[i].GetProperty("nostrTools").GetString(), $"event {i}: our id {ours} differs from nostr-tools' {answers[i].GetProperty("nostrTools")}; {gen.Replay}");
            Assert.True(ours == answers[i].GetProperty("rustNostr").GetString(), $"event {i}: our id {ours} differs from rust-nostr's {answers[i].GetProperty("rustNostr")}; {gen.Replay}");
        }
    }

    [Fact]
    public async Task Our_signatures_verify_in_nostr_tools_nostr_wasm_and_rust_nostr()
    {
        var gen = NewGenerator();
        using SecretKey key = SecretKey.Generate();
        var events = Enumerable.Range(0, EventsPerRun).Select(_ => EventSigner.Sign(gen.NextTemplate(), key)).ToList();

        IReadOnlyList<JsonElement> answers = await CrossCheckPeer.RunAsync(events.Select(CrossCheckPeer.VerifyCommand).ToList());

        for (int i = 0; i < events.Count; i++)
        {
            AssertVerdicts(answers[i], expected: true, $"our event {i} ({events[i].Id})", gen);
        }
    }

    [Fact]
    public async Task Events_signed_by_nostr_tools_and_rust_nostr_verify_in_ours()
    {
        var gen = NewGenerator();
        using SecretKey key = SecretKey.Generate();
        string skHex = key.RevealHex();
        var templates = Enumerable.Range(0, EventsPerRun / 2).Select(_ => gen.NextTemplate()).ToList();

        IReadOnlyList<JsonElement> answers = await CrossCheckPeer.RunAsync(
            templates.Select(t => CrossCheckPeer.SignCommand(t, skHex)).ToList());

        for (int i = 0; i < templates.Count; i++)
        {
            foreach (string peer in new[] { "nostrTools", "rustNostr" })
            {
                NostrEvent theirs = EventParser.Parse(answers[i].GetProperty(peer).GetRawText());
                string where = $"event {i} signed by {peer}; {gen.Replay}";
                EventCheck check = EventVerifier.Verify(theirs);
                Assert.True(check.IsValid, $"{where}: our verifier says {check.Reason}");
                Assert.Equal(key.PublicKey.Hex, theirs.PubKey);
                Assert.True(templates[i].Tags.Equals(theirs.Tags), $"{where}: the peer signed different tags");
                Assert.True(templates[i].Content == theirs.Content, $"{where}: the peer signed different content");
                Assert.Equal(templates[i].CreatedAt, theirs.CreatedAt);
                Assert.Equal(templates[i].Kind, theirs.Kind);
                Assert.Equal(EventId.Compute(theirs), theirs.Id);
            }
        }
    }

    [Fact]
    public async Task Tampered_events_fail_in_every_implementation()
    {
        var gen = NewGenerator();
        using SecretKey key = SecretKey.Generate();
        Tampering[] ways = Enum.GetValues<Tampering>();
        var tampered = new List<(NostrEvent Event, Tampering How)>();
        for (int i = 0; i < EventsPerRun; i++)
        {
            NostrEvent signed = EventSigner.Sign(gen.NextTemplate(), key);
            Tampering how = ways[i % ways.Length];
            tampered.Add((gen.Tamper(signed, how), how));
        }

        IReadOnlyList<JsonElement> answers = await CrossCheckPeer.RunAsync(tampered.Select(t => CrossCheckPeer.VerifyCommand(t.Event)).ToList());

        for (int i = 0; i < tampered.Count; i++)
        {
            (NostrEvent e, Tampering how) = tampered[i];
            Assert.False(EventVerifier.Verify(e).IsValid, $"event {i} with {how} changed passed our verifier; {gen.Replay}");
            AssertVerdicts(answers[i], expected: false, $"event {i} with {how} changed", gen);
        }
    }

    private RandomEvents NewGenerator()
    {
        var gen = new RandomEvents(RandomEvents.ChooseSeed());
        output.WriteLine(gen.Replay);
        return gen;
    }

    private static void AssertVerdicts(JsonElement answer, bool expected, string what, RandomEvents gen)
    {
        foreach (string peer in new[] { "nostrTools", "nostrWasm", "rustNostr" })
        {
            bool verdict = answer.GetProperty(peer).GetBoolean();
            string detail = peer == "rustNostr" && answer.GetProperty("rustNostrError").ValueKind == JsonValueKind.String
                ? $" (rust-nostr: {answer.GetProperty("rustNostrError").GetString()})"
                : string.Empty;
            Assert.True(verdict == expected, $"{what}: {peer} says {(verdict ? "valid" : "invalid")}{detail}; {gen.Replay}");
        }
    }
}
