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

    /// <summary>
    /// The form <see cref="Format"/> writes, <c>yyyy-MM-ddTHH:mm:ss[.f{1,7}]Z</c> with a
    /// valid date and time, read straight from the UTF-8 bytes; the result is the one
    /// <see cref="TryParse"/> gives for that text. Anything else (offsets, lower-case
    /// letters, more digits, leap seconds, escapes) returns false and is left to
    /// <see cref="TryParse"/>: a step reader takes this path for the times writers produce.
    /// </summary>
    internal static bool TryParseFormatted(ReadOnlySpan<byte> text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length is < 20 or > 28 or 21 || text[^1] != 'Z'
            || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':'
            || (text.Length > 20 && text[19] != '.'))
        {
            return false;
        }

        if (!TryDigits(text[..4], out int year) || !TryDigits(text.Slice(5, 2), out int month) || !TryDigits(text.Slice(8, 2), out int day)
            || !TryDigits(text.Slice(11, 2), out int hour) || !TryDigits(text.Slice(14, 2), out int minute) || !TryDigits(text.Slice(17, 2), out int second))
        {
            return false;
        }

        int fraction = 0;
        if (text.Length > 20)
        {
            ReadOnlySpan<byte> digits = text[20..^1];
            if (!TryDigits(digits, out fraction))
            {
                return false;
            }

            for (int i = digits.Length; i < 7; i++)
            {
                fraction *= 10;
            }
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        value = new DateTimeOffset(new DateTime(year, month, day, hour, minute, second).Ticks + fraction, TimeSpan.Zero);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        foreach (byte b in text)
        {
            if (!char.IsAsciiDigit((char)b))
            {
                return false;
            }

            value = (value * 10) + (b - '0');
        }

        return true;
    }

    internal static string Shorten(string? text) =>
        text is null ? "null" : text.Length <= 40 ? text : text[..40] + "...";
}
