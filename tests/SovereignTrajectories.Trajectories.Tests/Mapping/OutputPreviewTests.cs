using System.Buffers;
using System.Text;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Trajectories.Mapping;

namespace SovereignTrajectories.Trajectories.Tests.Mapping;

public sealed class OutputPreviewTests
{
    private static readonly string[] Pieces = ["a", "Z", " ", "\n", "\t", "\u0001", "\"", "\\", "é", "€", "\u2028", "😀", "\u007f"];

    private static string RandomText(Random random, int length)
    {
        var sb = new StringBuilder();
        while (sb.Length < length)
        {
            sb.Append(Pieces[random.Next(Pieces.Length)]);
        }

        return sb.ToString();
    }

    private static int SerialisedStringBytes(string text)
    {
        var buffer = new ArrayBufferWriter<byte>();
        CanonicalJson.WriteString(buffer, text);
        return buffer.WrittenCount - 2;
    }

    [Fact]
    public void Json_string_bytes_equal_what_the_NIP01_writer_produces()
    {
        var random = new Random(1);
        for (int i = 0; i < 200; i++)
        {
            string text = RandomText(random, random.Next(0, 300));
            Assert.Equal(SerialisedStringBytes(text), OutputPreview.JsonStringBytes(text));
        }
    }

    [Fact]
    public void Text_that_fits_is_returned_unchanged()
    {
        string text = "short output\n";
        Assert.Same(text, OutputPreview.Cut(text, 1000));
    }

    [Fact]
    public void A_cut_keeps_a_head_and_a_tail_within_budget_and_never_splits_a_surrogate_pair()
    {
        var random = new Random(2);
        for (int i = 0; i < 300; i++)
        {
            string full = RandomText(random, random.Next(200, 5000));
            int budget = random.Next(150, OutputPreview.JsonStringBytes(full));
            string preview = OutputPreview.Cut(full, budget);

            Assert.True(OutputPreview.JsonStringBytes(preview) <= budget, $"case {i}: {OutputPreview.JsonStringBytes(preview)} > {budget}");
            int marker = preview.IndexOf("\n[... ", StringComparison.Ordinal);
            Assert.True(marker >= 0, $"case {i}: no marker");
            int markerEnd = preview.IndexOf(" ...]\n", marker, StringComparison.Ordinal) + 6;
            string head = preview[..marker];
            string tail = preview[markerEnd..];
            Assert.StartsWith(head, full, StringComparison.Ordinal);
            Assert.EndsWith(tail, full, StringComparison.Ordinal);
            int omitted = full.Length - head.Length - tail.Length;
            Assert.Contains($"[... {omitted} of {full.Length} characters omitted", preview, StringComparison.Ordinal);
            Assert.True(Encoding.UTF8.GetByteCount(preview) >= 0);
            Assert.False(head.Length > 0 && char.IsHighSurrogate(head[^1]), $"case {i}: head ends inside a pair");
            Assert.False(tail.Length > 0 && char.IsLowSurrogate(tail[0]), $"case {i}: tail starts inside a pair");
        }
    }
}
