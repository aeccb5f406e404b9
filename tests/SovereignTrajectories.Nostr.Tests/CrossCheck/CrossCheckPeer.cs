using System.Buffers;
using System.Text.Json;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Testing;

namespace SovereignTrajectories.Nostr.Tests.CrossCheck;

/// <summary>
/// Sends a batch of commands to <c>tests/peers/crosscheck.mjs</c> (one Node process per batch)
/// and returns its answers in order. Commands are written with System.Text.Json rather than our
/// own serialiser, so the peers see the events through an independent writer.
/// </summary>
internal static class CrossCheckPeer
{
    public static string HashCommand(string pubKey, long createdAt, int kind, TagList tags, string content) =>
        Command(w =>
        {
            w.WriteString("op", "hash");
            w.WritePropertyName("event");
            w.WriteStartObject();
            w.WriteString("pubkey", pubKey);
            w.WriteNumber("created_at", createdAt);
            w.WriteNumber("kind", kind);
            WriteTags(w, tags);
            w.WriteString("content", content);
            w.WriteEndObject();
        });

    public static string VerifyCommand(NostrEvent e) =>
        Command(w =>
        {
            w.WriteString("op", "verify");
            w.WritePropertyName("event");
            WriteEvent(w, e);
        });

    /// <remarks>The key is a throwaway made by the test; it goes to the peer's stdin only.</remarks>
    public static string SignCommand(UnsignedEvent template, string secretKeyHex) =>
        Command(w =>
        {
            w.WriteString("op", "sign");
            w.WritePropertyName("template");
            w.WriteStartObject();
            w.WriteNumber("created_at", template.CreatedAt);
            w.WriteNumber("kind", template.Kind);
            WriteTags(w, template.Tags);
            w.WriteString("content", template.Content);
            w.WriteEndObject();
            w.WriteString("sk", secretKeyHex);
        });

    public static string PubKeyCommand(string secretKeyHex) =>
        Command(w =>
        {
            w.WriteString("op", "pubkey");
            w.WriteString("sk", secretKeyHex);
        });

    /// <summary>Runs the batch and returns one parsed answer per command; a failed command fails the batch.</summary>
    public static async Task<IReadOnlyList<JsonElement>> RunAsync(IReadOnlyList<string> commands)
    {
        IReadOnlyList<string> lines = await NodePeer.RunLinesAsync("crosscheck.mjs", stdinLines: commands);
        if (lines.Count != commands.Count)
        {
            throw new InvalidOperationException($"crosscheck.mjs answered {lines.Count} lines to {commands.Count} commands");
        }

        var answers = new List<JsonElement>(lines.Count);
        for (int i = 0; i < lines.Count; i++)
        {
            using JsonDocument doc = JsonDocument.Parse(lines[i]);
            JsonElement answer = doc.RootElement.Clone();
            if (!answer.GetProperty("ok").GetBoolean())
            {
                throw new InvalidOperationException($"crosscheck.mjs failed command {i + 1}: {answer.GetProperty("error").GetString()}");
            }

            answers.Add(answer);
        }

        return answers;
    }

    private static string Command(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteEvent(Utf8JsonWriter w, NostrEvent e)
    {
        w.WriteStartObject();
        w.WriteString("id", e.Id);
        w.WriteString("pubkey", e.PubKey);
        w.WriteNumber("created_at", e.CreatedAt);
        w.WriteNumber("kind", e.Kind);
        WriteTags(w, e.Tags);
        w.WriteString("content", e.Content);
        w.WriteString("sig", e.Sig);
        w.WriteEndObject();
    }

    private static void WriteTags(Utf8JsonWriter w, TagList tags)
    {
        w.WritePropertyName("tags");
        w.WriteStartArray();
        foreach (Tag tag in tags)
        {
            w.WriteStartArray();
            foreach (string value in tag)
            {
                w.WriteStringValue(value);
            }

            w.WriteEndArray();
        }

        w.WriteEndArray();
    }
}
