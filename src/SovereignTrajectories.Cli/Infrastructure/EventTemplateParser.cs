using System.Text.Json;
using SovereignTrajectories.Nostr.Events;

namespace SovereignTrajectories.Cli.Infrastructure;

/// <summary>
/// Parses the unsigned templates <c>sovtraj event sign</c> reads: <c>{"kind","created_at"?,"tags"?,"content"}</c>.
/// Errors name the line and the field.
/// </summary>
internal static class EventTemplateParser
{
    private static readonly JsonDocumentOptions Options = new() { AllowDuplicateProperties = false, MaxDepth = 16 };

    public static UnsignedEvent Parse(string line, int lineNumber, long now)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line, Options);
        }
        catch (JsonException ex)
        {
            throw new CliUsageException($"line {lineNumber}: not valid JSON ({ex.Message})");
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Error(lineNumber, "template", "must be a JSON object");
            }

            int kind = root.TryGetProperty("kind", out JsonElement kindElement)
                && kindElement.ValueKind == JsonValueKind.Number
                && kindElement.TryGetInt32(out int k) && k is >= 0 and <= 65535
                ? k
                : throw Error(lineNumber, "kind", "must be an integer 0..65535");

            long createdAt = now;
            if (root.TryGetProperty("created_at", out JsonElement createdElement))
            {
                createdAt = createdElement.ValueKind == JsonValueKind.Number && createdElement.TryGetInt64(out long c) && c >= 0
                    ? c
                    : throw Error(lineNumber, "created_at", "must be a non-negative integer (unix seconds)");
            }

            string content = root.TryGetProperty("content", out JsonElement contentElement) && contentElement.ValueKind == JsonValueKind.String
                ? contentElement.GetString()!
                : throw Error(lineNumber, "content", "must be a string");

            var tags = new List<Tag>();
            if (root.TryGetProperty("tags", out JsonElement tagsElement))
            {
                if (tagsElement.ValueKind != JsonValueKind.Array)
                {
                    throw Error(lineNumber, "tags", "must be an array of arrays of strings");
                }

                int i = 0;
                foreach (JsonElement tag in tagsElement.EnumerateArray())
                {
                    if (tag.ValueKind != JsonValueKind.Array || tag.GetArrayLength() == 0)
                    {
                        throw Error(lineNumber, $"tags[{i}]", "must be a non-empty array of strings");
                    }

                    var values = new List<string>();
                    int j = 0;
                    foreach (JsonElement value in tag.EnumerateArray())
                    {
                        values.Add(value.ValueKind == JsonValueKind.String
                            ? value.GetString()!
                            : throw Error(lineNumber, $"tags[{i}][{j}]", "must be a string"));
                        j++;
                    }

                    tags.Add(new Tag(values));
                    i++;
                }
            }

            return new UnsignedEvent(createdAt, kind, new TagList(tags), content);
        }
    }

    private static CliUsageException Error(int lineNumber, string field, string reason) =>
        new($"line {lineNumber}: {field}: {reason}");
}
