using System.Globalization;
using System.Text.Json;
using SovereignTrajectories.Trajectories.Json;

namespace SovereignTrajectories.Trajectories.Ingest;

/// <summary>Typed reads of optional JSON fields that name the field when its type is wrong.</summary>
internal static class JsonFields
{
    public static bool Has(JsonElement obj, string name, out JsonElement value)
    {
        if (obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        value = default;
        return false;
    }

    public static string? Str(JsonElement obj, string name, string path)
    {
        if (!Has(obj, name, out JsonElement v))
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.String ? v.GetString() : throw Wrong(path, name, "a string", v);
    }

    public static string ReqStr(JsonElement obj, string name, string path) =>
        Str(obj, name, path) ?? throw new BadFieldException(Join(path, name), "is missing");

    public static long? Long(JsonElement obj, string name, string path)
    {
        if (!Has(obj, name, out JsonElement v))
        {
            return null;
        }

        if (v.ValueKind == JsonValueKind.Number)
        {
            if (v.TryGetInt64(out long n))
            {
                return n;
            }

            if (v.TryGetDouble(out double d) && d >= long.MinValue && d <= long.MaxValue && !double.IsNaN(d))
            {
                return (long)d;
            }
        }
        else if (v.ValueKind == JsonValueKind.String
            && long.TryParse(v.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long s))
        {
            return s; // OTLP/JSON writes int64 as a decimal string
        }

        throw Wrong(path, name, "an integer", v);
    }

    public static double? Double(JsonElement obj, string name, string path)
    {
        if (!Has(obj, name, out JsonElement v))
        {
            return null;
        }

        if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double d) && double.IsFinite(d))
        {
            return d;
        }

        if (v.ValueKind == JsonValueKind.String
            && double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double s) && double.IsFinite(s))
        {
            return s;
        }

        throw Wrong(path, name, "a number", v);
    }

    public static bool? Bool(JsonElement obj, string name, string path)
    {
        if (!Has(obj, name, out JsonElement v))
        {
            return null;
        }

        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Wrong(path, name, "a boolean", v),
        };
    }

    public static JsonElement? Obj(JsonElement obj, string name, string path)
    {
        if (!Has(obj, name, out JsonElement v))
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.Object ? v : throw Wrong(path, name, "an object", v);
    }

    public static JsonElement? Arr(JsonElement obj, string name, string path)
    {
        if (!Has(obj, name, out JsonElement v))
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.Array ? v : throw Wrong(path, name, "an array", v);
    }

    public static DateTimeOffset? Time(JsonElement obj, string name, string path)
    {
        // System.Text.Json's own ISO 8601 parser is several times faster than DateTimeOffset.TryParse.
        if (Has(obj, name, out JsonElement v) && v.ValueKind == JsonValueKind.String && v.TryGetDateTimeOffset(out DateTimeOffset fast))
        {
            return fast;
        }

        string? text = Str(obj, name, path);
        if (text is null)
        {
            return null;
        }

        return Rfc3339.TryParse(text, out DateTimeOffset t)
            ? t
            : throw new BadFieldException(Join(path, name), $"'{Rfc3339Shorten(text)}' is not an RFC 3339 time");
    }

    public static void RequireObject(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new BadFieldException(path.Length == 0 ? "(root)" : path, $"expected an object, found {Describe(element.ValueKind)}");
        }
    }

    /// <summary>Text of a value that may be a string or any JSON (kept as compact JSON).</summary>
    public static string TextOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Null or JsonValueKind.Undefined => string.Empty,
        _ => value.GetRawText(),
    };

    public static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    public static BadFieldException Wrong(string path, string name, string expected, JsonElement actual) =>
        new(Join(path, name), $"expected {expected}, found {Describe(actual.ValueKind)}");

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string Rfc3339Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
