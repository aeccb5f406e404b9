using SovereignTrajectories.Nostr.Events;

namespace SovereignTrajectories.Nostr.RelayInfo;

/// <summary>The NIP-11 <c>limitation</c> object. Null means the relay did not say.</summary>
public sealed record RelayLimitation
{
    /// <summary>The bytes <c>["EVENT",</c> and <c>]</c> add around an event in a publish frame.</summary>
    public const int EventFrameOverhead = 10;

    public int? MaxMessageLength { get; init; }

    public int? MaxSubscriptions { get; init; }

    public int? MaxLimit { get; init; }

    public int? MaxSubidLength { get; init; }

    public int? MaxEventTags { get; init; }

    public int? MaxContentLength { get; init; }

    public int? MinPowDifficulty { get; init; }

    public bool? AuthRequired { get; init; }

    public bool? PaymentRequired { get; init; }

    public bool? RestrictedWrites { get; init; }

    /// <summary>Seconds into the past a <c>created_at</c> may lie.</summary>
    public long? CreatedAtLowerLimit { get; init; }

    /// <summary>Seconds into the future a <c>created_at</c> may lie.</summary>
    public long? CreatedAtUpperLimit { get; init; }

    public int? DefaultLimit { get; init; }

    /// <summary>
    /// Why the relay would refuse <paramref name="e"/> under these limits, or null when none is broken.
    /// <paramref name="serialisedLength"/> is the UTF-8 length of the canonical event JSON
    /// (<c>CanonicalJson.Utf8Length</c>); <paramref name="now"/> is Unix seconds. Content length is
    /// counted in UTF-16 units, as the JavaScript relays count it.
    /// </summary>
    public string? CheckEvent(NostrEvent e, int serialisedLength, long now)
    {
        ArgumentNullException.ThrowIfNull(e);
        int messageLength = serialisedLength + EventFrameOverhead;
        if (MaxMessageLength is int maxMessage && messageLength > maxMessage)
        {
            return $"publish message is {messageLength} bytes; the relay's max_message_length is {maxMessage}";
        }

        if (MaxEventTags is int maxTags && e.Tags.Count > maxTags)
        {
            return $"event has {e.Tags.Count} tags; the relay's max_event_tags is {maxTags}";
        }

        if (MaxContentLength is int maxContent && e.Content.Length > maxContent)
        {
            return $"content is {e.Content.Length} characters; the relay's max_content_length is {maxContent}";
        }

        if (CreatedAtLowerLimit is long lower && e.CreatedAt < now - lower)
        {
            return $"created_at {e.CreatedAt} is {now - e.CreatedAt} s in the past; the relay's created_at_lower_limit is {lower} s";
        }

        if (CreatedAtUpperLimit is long upper && e.CreatedAt > now + upper)
        {
            return $"created_at {e.CreatedAt} is {e.CreatedAt - now} s in the future; the relay's created_at_upper_limit is {upper} s";
        }

        if (MinPowDifficulty is int minPow && minPow > 0)
        {
            int bits = LeadingZeroBits(e.Id);
            if (bits < minPow)
            {
                return $"id has {bits} leading zero bits; the relay's min_pow_difficulty is {minPow} (NIP-13)";
            }
        }

        return null;
    }

    /// <summary>NIP-13 difficulty: leading zero bits of the hex id.</summary>
    public static int LeadingZeroBits(string hexId)
    {
        ArgumentNullException.ThrowIfNull(hexId);
        int bits = 0;
        foreach (char c in hexId)
        {
            int nibble = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                >= 'A' and <= 'F' => c - 'A' + 10,
                _ => -1,
            };
            if (nibble < 0)
            {
                break;
            }

            if (nibble == 0)
            {
                bits += 4;
                continue;
            }

            bits += System.Numerics.BitOperations.LeadingZeroCount((uint)nibble) - 28;
            break;
        }

        return bits;
    }
}
