using System.Globalization;

namespace SovereignTrajectories.Trajectories.Json;

/// <summary>
/// The <c>ts</c> form: RFC 3339 in UTC with <c>Z</c>, fractional seconds only as long as needed
/// (up to 100 ns ticks), so every <see cref="DateTimeOffset"/> round-trips exactly.
/// </summary>
public static class Rfc3339
{
    public static string Format(DateTimeOffset value)
    {
        DateTime utc = value.UtcDateTime;
        string seconds = utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        long fraction = utc.Ticks % TimeSpan.TicksPerSecond;
        if (fraction == 0)
        {
            return seconds + "Z";
        }

        return seconds + "." + fraction.ToString("D7", CultureInfo.InvariantCulture).TrimEnd('0') + "Z";
    }

    /// <summary>Parses an RFC 3339 / ISO 8601 time with an offset; throws <see cref="FormatException"/> naming <paramref name="field"/>.</summary>
    public static DateTimeOffset Parse(string text, string field)
    {
        if (TryParse(text, out DateTimeOffset value))
        {
            return value;
        }

        throw new FormatException($"{field}: '{Shorten(text)}' is not an RFC 3339 time");
    }

    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrEmpty(text) || text.Length < 19 || text.Length > 40)
        {
            return false;
        }

        return DateTimeOffset.TryParse(
            text,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out value);
    }

    internal static string Shorten(string? text) =>
        text is null ? "null" : text.Length <= 40 ? text : text[..40] + "...";
}
