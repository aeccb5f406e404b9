using System.Text.Json;

namespace SovereignTrajectories.Relays.Connections;

/// <summary>
/// A cheap look at a relay frame before the full parse: whether it is an EVENT, whose parsing and
/// verification can then leave the socket reader. The full parse (<see cref="Nostr.Messages.RelayMessageParser"/>)
/// still decides everything about the frame.
/// </summary>
internal static class EventFrame
{
    /// <summary>Whether the frame starts like an EVENT message; the rest is not looked at.</summary>
    public static bool IsEvent(ReadOnlySpan<byte> frame)
    {
        // The compact forms every relay we know sends, decided without a JSON reader (publishing reads many OKs).
        if (frame.StartsWith("[\"EVENT\","u8))
        {
            return true;
        }

        if (frame.StartsWith("[\"OK\","u8) || frame.StartsWith("[\"EOSE\","u8))
        {
            return false;
        }

        var reader = new Utf8JsonReader(frame);
        try
        {
            return reader.Read() && reader.TokenType == JsonTokenType.StartArray
                && reader.Read() && reader.TokenType == JsonTokenType.String
                && reader.ValueTextEquals("EVENT"u8);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
