using System.Buffers;
using System.Text.Json;
using SovereignTrajectories.Nostr.Filters;

namespace SovereignTrajectories.Nostr.Messages;

/// <summary>Writes the small relay frames whose fields are only strings, booleans and numbers.</summary>
internal static class RelayJsonWriting
{
    public static void Write(IBufferWriter<byte> writer, string label, Action<Utf8JsonWriter> body)
    {
        ArgumentNullException.ThrowIfNull(writer);
        using var json = new Utf8JsonWriter(writer, Filter.JsonOptions);
        json.WriteStartArray();
        json.WriteStringValue(label);
        body(json);
        json.WriteEndArray();
    }

    public static string Prefixed(MachineReadablePrefix prefix, string message) =>
        MachineReadablePrefixParser.ToWire(prefix) is string wire && !HasPrefix(message, wire)
            ? $"{wire}: {message}"
            : message;

    private static bool HasPrefix(string message, string wire) =>
        message.StartsWith(wire + ":", StringComparison.OrdinalIgnoreCase);
}
