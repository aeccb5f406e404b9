using System.Text.Json;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Testing;

namespace SovereignTrajectories.Nostr.Tests.CrossCheck;

/// <summary>
/// The published NIP-01 vectors (nip01-id-vectors.json, source named inside) hold in our code and
/// in every peer, and signatures made by each side on them verify on the other.
/// </summary>
public sealed class Nip01VectorsThroughPeersTests
{
    private static readonly string VectorFile =
        RepoPaths.Combine("tests", "SovereignTrajectories.Nostr.Tests", "CrossCheck", "nip01-id-vectors.json");

    [Fact]
    public async Task Vector_ids_and_public_key_hold_in_ours_and_every_peer()
    {
        (string secretKey, string publicKey, List<(string Name, UnsignedEvent Template, string Id)> vectors) = Load();
        using SecretKey key = SecretKey.FromHex(secretKey);
        Assert.Equal(publicKey, key.PublicKey.Hex);

        var commands = new List<string> { CrossCheckPeer.PubKeyCommand(secretKey) };
        commands.AddRange(vectors.Select(v => CrossCheckPeer.HashCommand(publicKey, v.Template.CreatedAt, v.Template.Kind, v.Template.Tags, v.Template.Content)));
        IReadOnlyList<JsonElement> answers = await CrossCheckPeer.RunAsync(commands);

        Assert.Equal(publicKey, answers[0].GetProperty("nostrTools").GetString());
        Assert.Equal(publicKey, answers[0].GetProperty("rustNostr").GetString());
        for (int i = 0; i < vectors.Count; i++)
        {
            (string name, UnsignedEvent t, string id) = vectors[i];
            Assert.True(id == EventId.Compute(publicKey, t.CreatedAt, t.Kind, t.Tags, t.Content), $"vector '{name}': our id differs");
            Assert.True(id == answers[i + 1].GetProperty("nostrTools").GetString(), $"vector '{name}': nostr-tools' id differs");
            Assert.True(id == answers[i + 1].GetProperty("rustNostr").GetString(), $"vector '{name}': rust-nostr's id differs");
        }
    }

    [Fact]
    public async Task Vector_events_signed_on_either_side_verify_on_the_other()
    {
        (string secretKey, _, List<(string Name, UnsignedEvent Template, string Id)> vectors) = Load();
        using SecretKey key = SecretKey.FromHex(secretKey);
        var ours = vectors.Select(v => EventSigner.Sign(v.Template, key)).ToList();

        var commands = ours.Select(CrossCheckPeer.VerifyCommand)
            .Concat(vectors.Select(v => CrossCheckPeer.SignCommand(v.Template, secretKey)))
            .ToList();
        IReadOnlyList<JsonElement> answers = await CrossCheckPeer.RunAsync(commands);

        for (int i = 0; i < vectors.Count; i++)
        {
            Assert.Equal(vectors[i].Id, ours[i].Id);
            foreach (string peer in new[] { "nostrTools", "nostrWasm", "rustNostr" })
            {
                Assert.True(answers[i].GetProperty(peer).GetBoolean(), $"vector '{vectors[i].Name}': {peer} rejects our signature");
            }

            JsonElement signed = answers[vectors.Count + i];
            foreach (string peer in new[] { "nostrTools", "rustNostr" })
            {
                NostrEvent theirs = EventParser.Parse(signed.GetProperty(peer).GetRawText());
                Assert.Equal(vectors[i].Id, theirs.Id);
                EventCheck check = EventVerifier.Verify(theirs);
                Assert.True(check.IsValid, $"vector '{vectors[i].Name}' signed by {peer}: {check.Reason}");
            }
        }
    }

    private static (string SecretKey, string PublicKey, List<(string Name, UnsignedEvent Template, string Id)> Vectors) Load()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(VectorFile));
        JsonElement root = doc.RootElement;
        var vectors = new List<(string, UnsignedEvent, string)>();
        foreach (JsonElement v in root.GetProperty("events").EnumerateArray())
        {
            var tags = v.GetProperty("tags").EnumerateArray()
                .Select(t => new Tag(t.EnumerateArray().Select(x => x.GetString()!)))
                .ToList();
            var template = new UnsignedEvent(v.GetProperty("created_at").GetInt64(), v.GetProperty("kind").GetInt32(), tags, v.GetProperty("content").GetString()!);
            vectors.Add((v.GetProperty("name").GetString()!, template, v.GetProperty("id").GetString()!));
        }

        return (root.GetProperty("secretKey").GetString()!, root.GetProperty("publicKey").GetString()!, vectors);
    }
}
