using System.Text.Json;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Filters;

namespace SovereignTrajectories.Nostr.Messages;

/// <summary>
/// Reads one client frame, as a relay (or an in-process fake relay in tests) does. Events and
/// filters are parsed strictly; any problem throws <see cref="ClientMessageFormatException"/>
/// whose text can go back to the client in an OK, CLOSED or NOTICE.
/// </summary>
public static class ClientMessageParser
{
    private static readonly JsonReaderOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        MaxDepth = 64,
    };

    public static ClientMessage Parse(string frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return Parse(System.Text.Encoding.UTF8.GetBytes(frame));
    }

    public static ClientMessage Parse(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, Options);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                throw new ClientMessageFormatException("frame is not a JSON array");
            }

            if (!reader.Read() || reader.TokenType == JsonTokenType.EndArray)
            {
                throw new ClientMessageFormatException("frame is an empty array");
            }

            if (reader.TokenType != JsonTokenType.String)
            {
                throw new ClientMessageFormatException("element 0 must be the message type as a string");
            }

            ClientMessage message;
            if (reader.ValueTextEquals("EVENT"u8))
            {
                message = new ClientEventMessage(ReadEvent(ref reader, "EVENT"));
            }
            else if (reader.ValueTextEquals("AUTH"u8))
            {
                message = new ClientAuthMessage(ReadEvent(ref reader, "AUTH"));
            }
            else if (reader.ValueTextEquals("REQ"u8))
            {
                (string sub, List<Filter> filters) = ReadSubscription(ref reader, "REQ");
                message = new ReqMessage(sub, filters);
            }
            else if (reader.ValueTextEquals("COUNT"u8))
            {
                (string sub, List<Filter> filters) = ReadSubscription(ref reader, "COUNT");
                message = new CountRequestMessage(sub, filters);
            }
            else if (reader.ValueTextEquals("CLOSE"u8))
            {
                message = new CloseMessage(ReadSubscriptionId(ref reader, "CLOSE"));
                Expect(ref reader, JsonTokenType.EndArray, "CLOSE: has more than 2 elements");
            }
            else
            {
                string type = reader.GetString()!;
                throw new ClientMessageFormatException($"unknown message type '{(type.Length <= 32 ? type : type[..32] + "...")}'");
            }

            if (reader.Read())
            {
                throw new ClientMessageFormatException("frame has data after its closing ']'");
            }

            return message;
        }
        catch (JsonException e)
        {
            throw new ClientMessageFormatException($"frame is not valid JSON: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            throw new ClientMessageFormatException($"frame has an unreadable value: {e.Message}", e);
        }
    }

    private static NostrEvent ReadEvent(ref Utf8JsonReader reader, string type)
    {
        if (!reader.Read() || reader.TokenType == JsonTokenType.EndArray)
        {
            throw new ClientMessageFormatException($"{type}: missing element 1");
        }

        NostrEvent e;
        try
        {
            e = EventParser.Parse(ref reader);
        }
        catch (EventFormatException ex)
        {
            throw new ClientMessageFormatException($"{type}: invalid: {ex.Message}", ex);
        }

        Expect(ref reader, JsonTokenType.EndArray, $"{type}: has more than 2 elements");
        return e;
    }

    private static (string Sub, List<Filter> Filters) ReadSubscription(ref Utf8JsonReader reader, string type)
    {
        string sub = ReadSubscriptionId(ref reader, type);
        var filters = new List<Filter>();
        while (true)
        {
            if (!reader.Read())
            {
                throw new ClientMessageFormatException($"{type}: frame ends before its closing ']'");
            }

            if (reader.TokenType == JsonTokenType.EndArray)
            {
                break;
            }

            try
            {
                filters.Add(Filter.Parse(ref reader));
            }
            catch (FilterFormatException ex)
            {
                throw new ClientMessageFormatException($"{type}: filter {filters.Count}: {ex.Message}", ex);
            }
        }

        if (filters.Count == 0)
        {
            throw new ClientMessageFormatException($"{type}: needs at least one filter");
        }

        return (sub, filters);
    }

    private static string ReadSubscriptionId(ref Utf8JsonReader reader, string type)
    {
        if (!reader.Read() || reader.TokenType == JsonTokenType.EndArray)
        {
            throw new ClientMessageFormatException($"{type}: missing element 1");
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw new ClientMessageFormatException($"{type}: element 1 must be a subscription id string");
        }

        string sub = reader.GetString()!;
        if (sub.Length is 0 or > 64)
        {
            throw new ClientMessageFormatException($"{type}: subscription id must be 1-64 characters, got {sub.Length}");
        }

        return sub;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType token, string error)
    {
        if (!reader.Read() || reader.TokenType != token)
        {
            throw new ClientMessageFormatException(error);
        }
    }
}
