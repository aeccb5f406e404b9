using System.Globalization;

namespace SovereignTrajectories.Trajectories.Mapping;

/// <summary>
/// Cuts a long output to its head and tail so the event fits a relay's size limit (§3.1).
/// Sizes are counted as the bytes the text takes inside a NIP-01 JSON string (escapes, UTF-8),
/// since that is what the limit counts; surrogate pairs are never split.
/// </summary>
public static class OutputPreview
{
    /// <summary>
    /// <paramref name="full"/> itself when it takes at most <paramref name="maxJsonBytes"/>;
    /// otherwise head + a marker naming how much was left out + tail, within the budget.
    /// </summary>
    public static string Cut(string full, int maxJsonBytes)
    {
        ArgumentNullException.ThrowIfNull(full);
        if (JsonStringBytes(full) <= maxJsonBytes)
        {
            return full;
        }

        string probeMarker = Marker(full.Length, full.Length);
        int budget = maxJsonBytes - JsonStringBytes(probeMarker);
        if (budget < 0)
        {
            budget = 0;
        }

        int headBudget = budget / 2;
        int tailBudget = budget - headBudget;

        int headEnd = 0;
        int used = 0;
        while (headEnd < full.Length)
        {
            int width = CharWidth(full, headEnd, out int chars);
            if (used + width > headBudget)
            {
                break;
            }

            used += width;
            headEnd += chars;
        }

        int tailStart = full.Length;
        used = 0;
        while (tailStart > headEnd)
        {
            int start = tailStart - 1;
            if (start > headEnd && char.IsLowSurrogate(full[start]) && char.IsHighSurrogate(full[start - 1]))
            {
                start--;
            }

            int width = CharWidth(full, start, out _);
            if (used + width > tailBudget)
            {
                break;
            }

            used += width;
            tailStart = start;
        }

        int omitted = tailStart - headEnd;
        return string.Concat(full.AsSpan(0, headEnd), Marker(omitted, full.Length), full.AsSpan(tailStart));
    }

    /// <summary>Bytes <paramref name="text"/> takes inside a NIP-01 JSON string, without the quotes.</summary>
    public static int JsonStringBytes(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int total = 0;
        for (int i = 0; i < text.Length;)
        {
            total += CharWidth(text, i, out int chars);
            i += chars;
        }

        return total;
    }

    private static string Marker(int omitted, int total) =>
        string.Create(CultureInfo.InvariantCulture, $"\n[... {omitted} of {total} characters omitted; output_sha256 covers the full output ...]\n");

    private static int CharWidth(string s, int i, out int chars)
    {
        char c = s[i];
        chars = 1;
        if (c < 0x20)
        {
            return c is '\n' or '\r' or '\t' or '\b' or '\f' ? 2 : 6;
        }

        if (c is '"' or '\\')
        {
            return 2;
        }

        if (c < 0x80)
        {
            return 1;
        }

        if (c < 0x800)
        {
            return 2;
        }

        if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
        {
            chars = 2;
            return 4;
        }

        return 3;
    }
}
