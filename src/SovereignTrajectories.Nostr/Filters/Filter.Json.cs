using System.Text.Encodings.Web;
using System.Text.Json;
using SovereignTrajectories.Nostr.Codecs;

namespace SovereignTrajectories.Nostr.Filters;

public sealed partial record Filter
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Filters are not hashed, so any valid JSON will do; relaxed escaping keeps non-ASCII readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    /// <summary>Writes this filter as a JSON object; tag keys in letter order so output is stable.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        WriteStrings(writer, "ids", Ids);
        WriteStrings(writer, "authors", Authors);
        if (Kinds is not null)
        {
            writer.WriteStartArray("kinds");
            foreach (int k in Kinds)
            {
                writer.WriteNumberValue(k);
            }

            writer.WriteEndArray();
        }

        if (Tags is not null)
        {
            foreach ((char name, IReadOnlyList<string> values) in Tags.OrderBy(t => t.Key))
            {
                if (!char.IsAsciiLetter(name))
                {
                    throw new InvalidOperationException($"filter tag key '{name}' is not a single ASCII letter");
                }

                WriteStrings(writer, "#" + name, values);
            }
        }

        if (Since is long since)
        {
            writer.WriteNumber("since", since);
        }

        if (Until is long until)
        {
            writer.WriteNumber("until", until);
        }

        if (Limit is int limit)
        {
            writer.WriteNumber("limit", limit);
        }

        if (Search is not null)
        {
            writer.WriteString("search", Search);
        }

        writer.WriteEndObject();
    }

    public string ToJson()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The writer options <see cref="ToJson"/> uses, for callers embedding filters in messages.</summary>
    public static JsonWriterOptions JsonOptions => WriterOptions;

    public static Filter Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(System.Text.Encoding.UTF8.GetBytes(json));
    }

    public static Filter Parse(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, ReaderOptions);
        try
        {
            if (!reader.Read())
            {
                throw new FilterFormatException("json", "is empty");
            }

            Filter f = Parse(ref reader);
            if (reader.Read())
            {
                throw new FilterFormatException("json", "has data after the filter object");
            }

            return f;
        }
        catch (JsonException e)
        {
            throw new FilterFormatException("json", $"is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>
    /// Reads the filter object the reader is on (its StartObject) and leaves the reader on the
    /// matching EndObject. Unknown keys are skipped; known keys must have NIP-01 types.
    /// </summary>
    public static Filter Parse(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new FilterFormatException("json", $"must be a JSON object, found {reader.TokenType}");
        }

        IReadOnlyList<string>? ids = null, authors = null;
        IReadOnlyList<int>? kinds = null;
        Dictionary<char, IReadOnlyList<string>>? tags = null;
        long? since = null, until = null;
        int? limit = null;
        string? search = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);

        try
        {
            while (true)
            {
                Next(ref reader, "json");
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }

                string key = reader.GetString()!;
                if (!seen.Add(key))
                {
                    throw new FilterFormatException(key, "appears twice");
                }

                Next(ref reader, key);
                switch (key)
                {
                    case "ids":
                        ids = ReadStrings(ref reader, key, hex64: true);
                        break;
                    case "authors":
                        authors = ReadStrings(ref reader, key, hex64: true);
                        break;
                    case "kinds":
                        kinds = ReadKinds(ref reader);
                        break;
                    case "since":
                        since = ReadInteger(ref reader, key, long.MaxValue);
                        break;
                    case "until":
                        until = ReadInteger(ref reader, key, long.MaxValue);
                        break;
                    case "limit":
                        limit = (int)ReadInteger(ref reader, key, int.MaxValue);
                        break;
                    case "search":
                        search = reader.TokenType == JsonTokenType.String
                            ? reader.GetString()
                            : throw new FilterFormatException(key, $"must be a string, found {reader.TokenType}");
                        break;
                    default:
                        if (key.StartsWith('#'))
                        {
                            if (key.Length != 2 || !char.IsAsciiLetter(key[1]))
                            {
                                throw new FilterFormatException(key, "tag keys must be '#' followed by one letter");
                            }

                            tags ??= [];
                            tags[key[1]] = ReadStrings(ref reader, key, hex64: key is "#e" or "#p");
                        }
                        else
                        {
                            reader.Skip();
                        }

                        break;
                }
            }
        }
        catch (InvalidOperationException e)
        {
            // Utf8JsonReader throws this for value types it cannot convert; report it as bad input.
            throw new FilterFormatException("json", e.Message, e);
        }

        return new Filter
        {
            Ids = ids,
            Authors = authors,
            Kinds = kinds,
            Tags = tags,
            Since = since,
            Until = until,
            Limit = limit,
            Search = search,
        };
    }

    private static void Next(ref Utf8JsonReader reader, string field)
    {
        if (!reader.Read())
        {
            throw new FilterFormatException(field, "the JSON ends too early");
        }
    }

    private static List<string> ReadStrings(ref Utf8JsonReader reader, string field, bool hex64)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new FilterFormatException(field, $"must be an array of strings, found {reader.TokenType}");
        }

        var list = new List<string>();
        while (true)
        {
            Next(ref reader, field);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return list;
            }

            if (reader.TokenType != JsonTokenType.String)
            {
                throw new FilterFormatException(field, $"element {list.Count} must be a string, found {reader.TokenType}");
            }

            string value = reader.GetString()!;
            if (hex64 && !Hex.IsLowerHex(value, 64))
            {
                throw new FilterFormatException(field, $"element {list.Count} must be 64 lower-case hex characters");
            }

            list.Add(value);
        }
    }

    private static List<int> ReadKinds(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new FilterFormatException("kinds", $"must be an array of integers, found {reader.TokenType}");
        }

        var list = new List<int>();
        while (true)
        {
            Next(ref reader, "kinds");
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return list;
            }

            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out int kind) || kind is < 0 or > 65535)
            {
                throw new FilterFormatException("kinds", $"element {list.Count} must be an integer 0-65535");
            }

            list.Add(kind);
        }
    }

    private static long ReadInteger(ref Utf8JsonReader reader, string field, long max)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long value))
        {
            throw new FilterFormatException(field, "must be a whole number");
        }

        if (value < 0 || value > max)
        {
            throw new FilterFormatException(field, $"must be between 0 and {max}, got {value}");
        }

        return value;
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            return;
        }

        writer.WriteStartArray(name);
        foreach (string v in values)
        {
            writer.WriteStringValue(v);
        }

        writer.WriteEndArray();
    }
}
