using System.Text.Json;

namespace SovereignTrajectories.Nostr.RelayInfo;

public sealed partial record RelayInformation
{
    /// <summary>
    /// Reads a NIP-11 document tolerantly: unknown fields are ignored and null counts as absent,
    /// but a known field of the wrong type is an error naming it. <c>supported_nips</c> also
    /// accepts numbers written as strings, which some relays send.
    /// </summary>
    public static RelayInformation Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new RelayInformationFormatException("json", $"is not valid JSON: {e.Message}", e);
        }

        using (doc)
        {
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new RelayInformationFormatException("json", $"must be a JSON object, found {root.ValueKind}");
            }

            return new RelayInformation
            {
                Name = String(root, "name"),
                Description = String(root, "description"),
                PubKey = String(root, "pubkey"),
                Contact = String(root, "contact"),
                SupportedNips = Nips(root),
                Software = String(root, "software"),
                Version = String(root, "version"),
                Icon = String(root, "icon"),
                PostingPolicy = String(root, "posting_policy"),
                Limitation = Limits(root),
            };
        }
    }

    private static RelayLimitation? Limits(JsonElement root)
    {
        if (!TryGet(root, "limitation", out JsonElement l))
        {
            return null;
        }

        if (l.ValueKind != JsonValueKind.Object)
        {
            throw new RelayInformationFormatException("limitation", $"must be an object, found {l.ValueKind}");
        }

        return new RelayLimitation
        {
            MaxMessageLength = Int(l, "max_message_length"),
            MaxSubscriptions = Int(l, "max_subscriptions"),
            MaxLimit = Int(l, "max_limit"),
            MaxSubidLength = Int(l, "max_subid_length"),
            MaxEventTags = Int(l, "max_event_tags"),
            MaxContentLength = Int(l, "max_content_length"),
            MinPowDifficulty = Int(l, "min_pow_difficulty"),
            AuthRequired = Bool(l, "auth_required"),
            PaymentRequired = Bool(l, "payment_required"),
            RestrictedWrites = Bool(l, "restricted_writes"),
            CreatedAtLowerLimit = Long(l, "created_at_lower_limit"),
            CreatedAtUpperLimit = Long(l, "created_at_upper_limit"),
            DefaultLimit = Int(l, "default_limit"),
        };
    }

    private static List<int> Nips(JsonElement root)
    {
        var nips = new List<int>();
        if (!TryGet(root, "supported_nips", out JsonElement array))
        {
            return nips;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new RelayInformationFormatException("supported_nips", $"must be an array of numbers, found {array.ValueKind}");
        }

        int i = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Number && item.TryGetInt32(out int n) && n >= 0)
            {
                nips.Add(n);
            }
            else if (item.ValueKind == JsonValueKind.String && int.TryParse(item.GetString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int s))
            {
                nips.Add(s);
            }
            else
            {
                throw new RelayInformationFormatException($"supported_nips[{i}]", $"must be a NIP number, found {Describe(item)}");
            }

            i++;
        }

        return nips;
    }

    private static bool TryGet(JsonElement obj, string name, out JsonElement value) =>
        obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    private static string? String(JsonElement obj, string name)
    {
        if (!TryGet(obj, name, out JsonElement v))
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.String
            ? v.GetString()
            : throw new RelayInformationFormatException(name, $"must be a string, found {Describe(v)}");
    }

    private static int? Int(JsonElement obj, string name)
    {
        long? v = Long(obj, name);
        if (v is long n && n > int.MaxValue)
        {
            throw new RelayInformationFormatException("limitation." + name, $"{n} is too large");
        }

        return (int?)v;
    }

    private static long? Long(JsonElement obj, string name)
    {
        if (!TryGet(obj, name, out JsonElement v))
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out long n))
        {
            throw new RelayInformationFormatException("limitation." + name, $"must be a whole number, found {Describe(v)}");
        }

        if (n < 0)
        {
            throw new RelayInformationFormatException("limitation." + name, $"must not be negative, got {n}");
        }

        return n;
    }

    private static bool? Bool(JsonElement obj, string name)
    {
        if (!TryGet(obj, name, out JsonElement v))
        {
            return null;
        }

        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new RelayInformationFormatException("limitation." + name, $"must be true or false, found {Describe(v)}"),
        };
    }

    private static string Describe(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{Shorten(v.GetString()!)}\"",
        JsonValueKind.Number => $"the number {Shorten(v.GetRawText())}",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => v.ValueKind.ToString(),
    };

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "...";
}
