using System.Globalization;
using SovereignTrajectories.Nostr.Codecs;
using SovereignTrajectories.Nostr.Events;

namespace SovereignTrajectories.Audit.Claims;

/// <summary>Reads NIP-57 zap receipts and the zap requests embedded in them.</summary>
public static class ZapParser
{
    /// <summary>Reads a kind 9735 event; throws <see cref="ClaimFormatException"/> when it lacks <c>bolt11</c> or <c>description</c>.</summary>
    public static ZapReceipt ParseReceipt(NostrEvent zapReceipt)
    {
        ArgumentNullException.ThrowIfNull(zapReceipt);
        string input = $"zap receipt {zapReceipt.Id}";
        if (zapReceipt.Kind != ZapReceipt.Kind)
        {
            throw new ClaimFormatException(input, "kind", $"is {zapReceipt.Kind}, expected {ZapReceipt.Kind}");
        }

        TagList tags = zapReceipt.Tags;
        string bolt11 = tags.FindValue("bolt11") is { Length: > 0 } b ? b : throw new ClaimFormatException(input, "tag bolt11", "is missing or empty");
        string description = tags.FindValue("description") ?? throw new ClaimFormatException(input, "tag description", "is missing");
        return new ZapReceipt(
            zapReceipt,
            bolt11,
            description,
            tags.FindValue("preimage"),
            tags.FindValue("p"),
            tags.FindValue("P"),
            tags.FindValue("e"),
            tags.FindValue("a"));
    }

    /// <summary>
    /// Parses the zap request JSON strictly (NIP-01 form; duplicate keys rejected) and checks it is a
    /// kind 9734. Shape rules are collected in <see cref="ZapRequest.ShapeProblems"/>; the signature is
    /// not checked here. Throws <see cref="ClaimFormatException"/> naming <paramref name="input"/>.
    /// </summary>
    public static ZapRequest ParseRequest(string descriptionJson, string input)
    {
        ArgumentNullException.ThrowIfNull(descriptionJson);
        NostrEvent request;
        try
        {
            request = EventParser.Parse(descriptionJson);
        }
        catch (EventFormatException ex)
        {
            throw new ClaimFormatException(input, "zap request", $"is not a well-formed Nostr event: {ex.Message}", ex);
        }

        if (request.Kind != ZapRequest.Kind)
        {
            throw new ClaimFormatException(input, "zap request", $"has kind {request.Kind}, expected {ZapRequest.Kind}");
        }

        var problems = new List<string>();
        TagList tags = request.Tags;
        Tag[] p = [.. tags.All("p")];
        if (p.Length != 1)
        {
            problems.Add($"has {p.Length} 'p' tags, NIP-57 requires exactly one");
        }

        string? recipient = p.Length > 0 ? p[0].Value : null;
        if (recipient is not null && !Hex.IsLowerHex(recipient, 64))
        {
            problems.Add($"'p' value '{recipient}' is not a 64 lower-case hex pubkey");
        }

        Tag[] e = [.. tags.All("e")];
        if (e.Length > 1)
        {
            problems.Add($"has {e.Length} 'e' tags, NIP-57 allows at most one");
        }

        string? eventId = e.Length > 0 ? e[0].Value : null;
        if (eventId is not null && !Hex.IsLowerHex(eventId, 64))
        {
            problems.Add($"'e' value '{eventId}' is not a 64 lower-case hex event id");
        }

        string? coordinate = tags.FindValue("a");
        if (coordinate is not null && !IsCoordinate(coordinate))
        {
            problems.Add($"'a' value '{coordinate}' is not a <kind>:<pubkey>:<d> coordinate");
        }

        Tag[] senders = [.. tags.All("P")];
        if (senders.Length > 1)
        {
            problems.Add($"has {senders.Length} 'P' tags, NIP-57 allows at most one");
        }

        Tag? relaysTag = tags.Find("relays");
        string[] relays = relaysTag is null ? [] : [.. relaysTag.Values.Skip(1)];
        if (relays.Length == 0)
        {
            problems.Add("has no 'relays' tag listing where to publish the receipt");
        }

        long? amount = null;
        if (tags.FindValue("amount") is { } amountText)
        {
            if (amountText.Length > 0 && amountText.All(char.IsAsciiDigit)
                && long.TryParse(amountText, NumberStyles.None, CultureInfo.InvariantCulture, out long msat))
            {
                amount = msat;
            }
            else
            {
                problems.Add($"'amount' value '{amountText}' is not an integer number of millisatoshi");
            }
        }

        return new ZapRequest(request, recipient, eventId, coordinate, relays, amount, tags.FindValue("lnurl"), senders.Length > 0 ? senders[0].Value : null, problems);
    }

    internal static bool IsCoordinate(string value)
    {
        string[] parts = value.Split(':', 3);
        return parts.Length == 3
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int kind) && kind is >= 0 and <= 65535
            && Hex.IsLowerHex(parts[1], 64);
    }
}
