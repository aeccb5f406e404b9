using System.Text;
using SovereignTrajectories.Trajectories.Ingest;

namespace SovereignTrajectories.Trajectories.Tests.Ingest;

/// <summary>
/// Feeds every adapter mutated copies of its sample (truncation, bit flips, type swaps, huge
/// strings, deep nesting, spliced lines): the only exception allowed out is <see cref="IngestException"/>,
/// and no input may make an adapter allocate without bound. Seeds are fixed so a failure reproduces.
/// </summary>
public sealed class IngestFuzzTests
{
    private const int InputsPerFormat = 1200;
    private const long AllocationBoundPerInput = 256L * 1024 * 1024;

    public static TheoryData<TrajectoryFormat> Formats => [TrajectoryFormat.Claude, TrajectoryFormat.Codex, TrajectoryFormat.Atif, TrajectoryFormat.Otlp, TrajectoryFormat.Replay];

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Mutated_inputs_raise_only_ingest_errors_and_stay_bounded(TrajectoryFormat format)
    {
        byte[] sample = File.ReadAllBytes(IngestSamples.PathOf(format));
        var random = new Random(20261121 + (int)format);
        var options = new IngestOptions { MaxLineBytes = 1024 * 1024, MaxElementBytes = 2 * 1024 * 1024, MaxDocumentBytes = 4 * 1024 * 1024 };
        int read = 0, rejected = 0;
        for (int i = 0; i < InputsPerFormat; i++)
        {
            (string kind, byte[] input) = Mutate(sample, random);
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                using var stream = new MemoryStream(input, writable: false);
                IngestResult result = await new TrajectoryIngest().ReadAsync(stream, "fuzz", i % 7 == 0 ? TrajectoryFormat.Auto : format, options);
                Assert.NotEmpty(result.Trajectories);
                read++;
            }
            catch (IngestException ex)
            {
                Assert.False(string.IsNullOrWhiteSpace(ex.Problem));
                Assert.StartsWith("fuzz", ex.Message, StringComparison.Ordinal);
                rejected++;
            }
            catch (Exception ex)
            {
                Assert.Fail($"input {i} ({kind}) let {ex.GetType().Name} escape: {ex.Message}\n{ex.StackTrace}");
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < AllocationBoundPerInput, $"input {i} ({kind}) allocated {allocated} bytes");
        }

        Assert.Equal(InputsPerFormat, read + rejected);
        Assert.True(read > 0 && rejected > 0, $"read {read}, rejected {rejected}: the mutations should produce both");
    }

    private static (string Kind, byte[] Input) Mutate(byte[] sample, Random random)
    {
        switch (random.Next(8))
        {
            case 0:
                return ("truncate", sample[..random.Next(sample.Length)]);
            case 1:
                {
                    byte[] copy = (byte[])sample.Clone();
                    int flips = 1 + random.Next(8);
                    for (int f = 0; f < flips; f++)
                    {
                        copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
                    }

                    return ("bit flips", copy);
                }

            case 2:
                return ("type swap", Encoding.UTF8.GetBytes(SwapValue(Encoding.UTF8.GetString(sample), random)));
            case 3:
                {
                    string text = Encoding.UTF8.GetString(sample);
                    int at = text.IndexOf(':', random.Next(text.Length));
                    if (at < 0)
                    {
                        return ("huge string (none)", sample);
                    }

                    string huge = "\"" + new string((char)('a' + random.Next(26)), random.Next(2) == 0 ? 3_000_000 : 300_000) + "\"";
                    return ("huge string", Encoding.UTF8.GetBytes(text[..(at + 1)] + huge + "," + text[(at + 1)..]));
                }

            case 4:
                {
                    string text = Encoding.UTF8.GetString(sample);
                    int at = text.IndexOf(':', random.Next(text.Length));
                    if (at < 0)
                    {
                        return ("deep nesting (none)", sample);
                    }

                    int depth = random.Next(2) == 0 ? 100_000 : 70;
                    return ("deep nesting", Encoding.UTF8.GetBytes(text[..(at + 1)] + new string('[', depth) + new string(']', depth) + "," + text[(at + 1)..]));
                }

            case 5:
                {
                    // splice: drop or duplicate a random slice (whole lines in JSONL, arbitrary in documents)
                    int a = random.Next(sample.Length);
                    int b = Math.Min(sample.Length, a + random.Next(200));
                    return random.Next(2) == 0
                        ? ("drop slice", [.. sample[..a], .. sample[b..]])
                        : ("duplicate slice", [.. sample[..b], .. sample[a..b], .. sample[b..]]);
                }

            case 6:
                {
                    byte[] copy = (byte[])sample.Clone();
                    int at = random.Next(copy.Length);
                    byte[] junk = [0x00, 0xFF, 0xC3, (byte)'"', (byte)'\\', (byte)'\n', (byte)'{', (byte)'}'];
                    copy[at] = junk[random.Next(junk.Length)];
                    return ("junk byte", copy);
                }

            default:
                {
                    string text = Encoding.UTF8.GetString(sample);
                    string[] odd = ["\"\\ud800\"", "1e999", "-1", "18446744073709551616", "\"9999-99-99T99:99:99Z\"", "\"\"", "{}", "[]", "null", "true"];
                    return ("odd value", Encoding.UTF8.GetBytes(ReplaceValue(text, random, odd[random.Next(odd.Length)])));
                }
        }
    }

    private static string SwapValue(string text, Random random)
    {
        string[] replacements = ["123", "\"text\"", "[]", "{}", "null", "false", "[1,\"a\",{}]", "-0.5"];
        return ReplaceValue(text, random, replacements[random.Next(replacements.Length)]);
    }

    /// <summary>Replaces the value after a random key with <paramref name="value"/> (strings, numbers, literals; objects and arrays are left whole).</summary>
    private static string ReplaceValue(string text, Random random, string value)
    {
        int colon = text.IndexOf("\":", random.Next(text.Length), StringComparison.Ordinal);
        if (colon < 0)
        {
            return text;
        }

        int start = colon + 2;
        while (start < text.Length && text[start] == ' ')
        {
            start++;
        }

        int end = start;
        if (end < text.Length && text[end] == '"')
        {
            end++;
            while (end < text.Length && text[end] != '"')
            {
                end += text[end] == '\\' ? 2 : 1;
            }

            end = Math.Min(end + 1, text.Length);
        }
        else if (end < text.Length && text[end] is '{' or '[')
        {
            end = start + 1;
            int depth = 1;
            while (end < text.Length && depth > 0)
            {
                depth += text[end] is '{' or '[' ? 1 : text[end] is '}' or ']' ? -1 : 0;
                end++;
            }
        }
        else
        {
            while (end < text.Length && text[end] is not (',' or '}' or ']' or '\n'))
            {
                end++;
            }
        }

        return text[..start] + value + text[end..];
    }
}
