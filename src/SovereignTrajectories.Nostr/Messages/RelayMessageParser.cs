using System.Text.Json;
using SovereignTrajectories.Nostr.Codecs;
using SovereignTrajectories.Nostr.Events;

namespace SovereignTrajectories.Nostr.Messages;

/// <summary>
/// Reads one relay frame. A malformed frame throws <see cref="RelayMessageFormatException"/>; a
/// well-formed EVENT frame whose event fails the strict event parse becomes a
/// <see cref="RelayInvalidEventMessage"/>, so one bad event does not look like a broken relay.
/// Extra trailing elements are ignored, for relays that add fields.
/// </summary>
public static class RelayMessageParser
{
    private static readonly JsonReaderOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        MaxDepth = 64,
    };

    public static RelayMessage Parse(string frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return Parse(System.Text.Encoding.UTF8.GetBytes(frame));
    }

    public static RelayMessage Parse(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, Options);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                throw new RelayMessageFormatException("frame is not a JSON array");
            }

            if (!reader.Read() || reader.TokenType == JsonTokenType.EndArray)
            {
                throw new RelayMessageFormatException("frame is an empty array");
            }

            if (reader.TokenType != JsonTokenType.String)
            {
                throw new RelayMessageFormatException($"element 0 must be the message type as a string, found {Describe(reader.TokenType)}");
            }

            RelayMessage message;
            if (reader.ValueTextEquals("EVENT"u8))
            {
                message = ReadEvent(ref reader);
            }
            else if (reader.ValueTextEquals("OK"u8))
            {
                string id = ReadString(ref reader, "OK", 1);
                if (!Hex.IsLowerHex(id, 64))
                {
                    throw new RelayMessageFormatException("OK: element 1 must be a 64-character lower-case hex event id");
                }

                bool accepted = ReadBoolean(ref reader, "OK", 2);
                string text = ReadOptionalString(ref reader, "OK", 3) ?? string.Empty;
                message = OkMessage.Create(id, accepted, text);
            }
            else if (reader.ValueTextEquals("EOSE"u8))
            {
                message = new EoseMessage(ReadString(ref reader, "EOSE", 1));
            }
            else if (reader.ValueTextEquals("CLOSED"u8))
            {
                string sub = ReadString(ref reader, "CLOSED", 1);
                string text = ReadOptionalString(ref reader, "CLOSED", 2) ?? string.Empty;
                message = ClosedMessage.Create(sub, text);
            }
            else if (reader.ValueTextEquals("NOTICE"u8))
            {
                message = new NoticeMessage(ReadString(ref reader, "NOTICE", 1));
            }
            else if (reader.ValueTextEquals("AUTH"u8))
            {
                message = new AuthChallengeMessage(ReadString(ref reader, "AUTH", 1));
            }
            else if (reader.ValueTextEquals("COUNT"u8))
            {
                message = ReadCount(ref reader);
            }
            else
            {
                throw new RelayMessageFormatException($"unknown message type '{Shorten(reader.GetString()!)}'");
            }

            SkipRest(ref reader);
            return message;
        }
        catch (JsonException e)
        {
            throw new RelayMessageFormatException($"frame is not valid JSON: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            // The reader throws this when a string cannot be transcoded (invalid UTF-8 escapes).
            throw new RelayMessageFormatException($"frame has an unreadable value: {e.Message}", e);
        }
    }

    private static RelayMessage ReadEvent(ref Utf8JsonReader reader)
    {
        string sub = ReadString(ref reader, "EVENT", 1);
        Next(ref reader, "EVENT", 2);

        // Parse on a copy: if the event is rejected the original reader can still skip past it
        // and check that the rest of the frame is well-formed.
        Utf8JsonReader eventReader = reader;
        try
        {
            var message = new RelayEventMessage(sub, EventParser.Parse(ref eventReader));

            // The parser left the copy on the event's EndObject: continue from there, no second pass.
            reader = eventReader;
            return message;
        }
        catch (EventFormatException e)
        {
            reader.Skip();
            return new RelayInvalidEventMessage(sub, e.Message);
        }
    }

    private static CountMessage ReadCount(ref Utf8JsonReader reader)
    {
        string sub = ReadString(ref reader, "COUNT", 1);
        Next(ref reader, "COUNT", 2);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new RelayMessageFormatException($"COUNT: element 2 must be an object, found {Describe(reader.TokenType)}");
        }

        long? count = null;
        bool? approximate = null;
        while (true)
        {
            Next(ref reader, "COUNT", 2);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            bool isCount = reader.ValueTextEquals("count"u8);
            bool isApproximate = reader.ValueTextEquals("approximate"u8);
            Next(ref reader, "COUNT", 2);
            if (isCount)
            {
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long n) || n < 0)
                {
                    throw new RelayMessageFormatException("COUNT: 'count' must be a non-negative whole number");
                }

                count = n;
            }
            else if (isApproximate)
            {
                approximate = reader.TokenType switch
                {
                    JsonTokenType.True => true,
                    JsonTokenType.False => false,
                    _ => throw new RelayMessageFormatException("COUNT: 'approximate' must be a boolean"),
                };
            }
            else
            {
                reader.Skip();
            }
        }

        return new CountMessage(sub, count ?? throw new RelayMessageFormatException("COUNT: element 2 has no 'count'"), approximate);
    }

    private static void Next(ref Utf8JsonReader reader, string type, int index)
    {
        if (!reader.Read())
        {
            throw new RelayMessageFormatException($"{type}: frame ends before element {index}");
        }

        if (reader.TokenType == JsonTokenType.EndArray)
        {
            throw new RelayMessageFormatException($"{type}: missing element {index}");
        }
    }

    private static string ReadString(ref Utf8JsonReader reader, string type, int index)
    {
        Next(ref reader, type, index);
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new RelayMessageFormatException($"{type}: element {index} must be a string, found {Describe(reader.TokenType)}");
        }

        return reader.GetString()!;
    }

    /// <summary>Null when the array ends here: some relays omit the trailing message of OK and CLOSED.</summary>
    private static string? ReadOptionalString(ref Utf8JsonReader reader, string type, int index)
    {
        if (!reader.Read())
        {
            throw new RelayMessageFormatException($"{type}: frame ends before element {index}");
        }

        if (reader.TokenType == JsonTokenType.EndArray)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw new RelayMessageFormatException($"{type}: element {index} must be a string, found {Describe(reader.TokenType)}");
        }

        return reader.GetString()!;
    }

    private static bool ReadBoolean(ref Utf8JsonReader reader, string type, int index)
    {
        Next(ref reader, type, index);
        return reader.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            _ => throw new RelayMessageFormatException($"{type}: element {index} must be a boolean, found {Describe(reader.TokenType)}"),
        };
    }

    /// <summary>Skips any extra elements, then requires the array to close and nothing to follow it.</summary>
    private static void SkipRest(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.EndArray || reader.CurrentDepth != 0)
        {
            while (true)
            {
                if (!reader.Read())
                {
                    throw new RelayMessageFormatException("frame ends before its closing ']'");
                }

                if (reader.TokenType == JsonTokenType.EndArray && reader.CurrentDepth == 0)
                {
                    break;
                }

                reader.Skip();
            }
        }

        if (reader.Read())
        {
            throw new RelayMessageFormatException("frame has data after its closing ']'");
        }
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.EndArray => "the end of the array",
        _ => token.ToString(),
    };

    private static string Shorten(string s) => s.Length <= 32 ? s : s[..32] + "...";
}
