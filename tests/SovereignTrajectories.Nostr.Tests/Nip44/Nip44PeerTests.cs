using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Nostr.Nip44;
using SovereignTrajectories.Testing;

namespace SovereignTrajectories.Nostr.Tests.Nip44;

/// <summary>
/// Random conversations cross-checked with nostr-tools and rust-nostr (tests/peers/nip44.mjs): the
/// same conversation key, each side decrypts what the others encrypted, and a payload altered by
/// one character is refused by all three.
/// </summary>
public sealed class Nip44PeerTests
{
    private const int Conversations = 60;

    [Fact]
    public async Task Ours_nostr_tools_and_rust_nostr_read_each_others_payloads()
    {
        var rows = new List<(SecretKey Sender, SecretKey Receiver, string Plaintext, string Ours)>();
        var commands = new StringBuilder();
        try
        {
            for (int i = 0; i < Conversations; i++)
            {
                SecretKey sender = SecretKey.Generate();
                SecretKey receiver = SecretKey.Generate();
                string plaintext = Plaintext(i);
                string ours = Nip44Encryption.Encrypt(plaintext, Nip44Encryption.ConversationKey(sender, receiver.PublicKey));
                rows.Add((sender, receiver, plaintext, ours));
                Command(commands, new { op = "key", sk = Hex(sender), pk = receiver.PublicKey.Hex });
                Command(commands, new { op = "encrypt", sk = Hex(sender), pk = receiver.PublicKey.Hex, plaintext });
                Command(commands, new { op = "decrypt", sk = Hex(receiver), pk = sender.PublicKey.Hex, payload = ours });
                Command(commands, new { op = "decrypt", sk = Hex(receiver), pk = sender.PublicKey.Hex, payload = Altered(ours) });
            }

            string output = await NodePeer.RunAsync("nip44.mjs", [], stdin: commands.ToString());
            JsonElement[] answers = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
            Assert.Equal(Conversations * 4, answers.Length);
            for (int i = 0; i < Conversations; i++)
            {
                (SecretKey sender, SecretKey receiver, string plaintext, string ours) = rows[i];
                JsonElement key = answers[i * 4], theirs = answers[(i * 4) + 1], ourRead = answers[(i * 4) + 2], altered = answers[(i * 4) + 3];
                Assert.True(key.GetProperty("ok").GetBoolean(), key.ToString());
                Assert.Equal(Convert.ToHexStringLower(Nip44Encryption.ConversationKey(receiver, sender.PublicKey)), key.GetProperty("nostrTools").GetString());

                byte[] receiverKey = Nip44Encryption.ConversationKey(receiver, sender.PublicKey);
                Assert.True(theirs.GetProperty("ok").GetBoolean(), theirs.ToString());
                Assert.Equal(plaintext, Nip44Encryption.Decrypt(theirs.GetProperty("nostrTools").GetString()!, receiverKey));
                Assert.Equal(plaintext, Nip44Encryption.Decrypt(theirs.GetProperty("rustNostr").GetString()!, receiverKey));

                Assert.Equal(plaintext, ourRead.GetProperty("nostrTools").GetString());
                Assert.Equal(plaintext, ourRead.GetProperty("rustNostr").GetString());

                Assert.Equal(JsonValueKind.Null, altered.GetProperty("nostrTools").ValueKind);
                Assert.Equal(JsonValueKind.Null, altered.GetProperty("rustNostr").ValueKind);
                Assert.Throws<Nip44Exception>(() => Nip44Encryption.Decrypt(Altered(ours), receiverKey));
            }
        }
        finally
        {
            foreach ((SecretKey sender, SecretKey receiver, _, _) in rows)
            {
                sender.Dispose();
                receiver.Dispose();
            }
        }
    }

    private static string Plaintext(int i) => (i % 5) switch
    {
        0 => "a",
        1 => new string('x', 32 + i),
        2 => "tool output: ✓ 12 passed, 0 failed 🙂 " + new string('é', i * 13),
        3 => string.Concat(Enumerable.Repeat("{\"seq\":1,\"content\":\"línea\\n\"}", 40 + (i * 7))),
        // rust-nostr 0.43 refuses plaintexts above 65,407 bytes (NIP-44 allows 65,535; the vectors cover that length).
        _ => new string('z', 65407 - i),
    };

    // Flips one base64 character inside the ciphertext (not the version byte or the padding '=').
    private static string Altered(string payload)
    {
        char[] chars = payload.ToCharArray();
        int at = 60;
        chars[at] = chars[at] == 'A' ? 'B' : 'A';
        return new string(chars);
    }

    private static string Hex(SecretKey key) => key.RevealHex();

    private static void Command(StringBuilder commands, object command) => commands.Append(JsonSerializer.Serialize(command)).Append('\n');
}
