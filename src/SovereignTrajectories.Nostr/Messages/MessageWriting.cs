using System.Buffers;
using System.Text.Json;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Filters;

namespace SovereignTrajectories.Nostr.Messages;

/// <summary>Shared pieces for writing frames and checking the ids they carry.</summary>
internal static class MessageWriting
{
    /// <summary>NIP-01: subscription ids are non-empty strings of at most 64 characters.</summary>
    public static string CheckSubscriptionId(string subscriptionId)
    {
        ArgumentNullException.ThrowIfNull(subscriptionId);
        if (subscriptionId.Length is 0 or > 64)
        {
            throw new ArgumentException(
                $"subscription id must be 1-64 characters, got {subscriptionId.Length}", nameof(subscriptionId));
        }

        return subscriptionId;
    }

    public static IReadOnlyList<Filter> CheckFilters(IReadOnlyList<Filter> filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        if (filters.Count == 0)
        {
            throw new ArgumentException("a subscription needs at least one filter", nameof(filters));
        }

        return filters;
    }

    public static void WriteLabelledEvent(IBufferWriter<byte> writer, string label, NostrEvent e)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(e);
        WriteAscii(writer, "[\"");
        WriteAscii(writer, label);
        WriteAscii(writer, "\",");
        CanonicalJson.WriteEvent(writer, e);
        WriteAscii(writer, "]");
    }

    public static void WriteSubscription(IBufferWriter<byte> writer, string label, string subscriptionId, IReadOnlyList<Filter>? filters)
    {
        ArgumentNullException.ThrowIfNull(writer);
        using var json = new Utf8JsonWriter(writer, Filter.JsonOptions);
        json.WriteStartArray();
        json.WriteStringValue(label);
        json.WriteStringValue(subscriptionId);
        foreach (Filter f in filters ?? [])
        {
            f.WriteTo(json);
        }

        json.WriteEndArray();
    }

    public static void WriteAscii(IBufferWriter<byte> writer, string ascii)
    {
        Span<byte> span = writer.GetSpan(ascii.Length);
        for (int i = 0; i < ascii.Length; i++)
        {
            span[i] = (byte)ascii[i];
        }

        writer.Advance(ascii.Length);
    }
}
