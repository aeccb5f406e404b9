using System.Text;
using SovereignTrajectories.Trajectories.Ingest;

namespace SovereignTrajectories.Trajectories.Tests.Ingest;

public sealed class TrajectoryFormatDetectorTests
{
    public static TheoryData<TrajectoryFormat> Formats => [TrajectoryFormat.Claude, TrajectoryFormat.Codex, TrajectoryFormat.Atif, TrajectoryFormat.Otlp, TrajectoryFormat.Replay];

    [Theory]
    [MemberData(nameof(Formats))]
    public void Detects_each_sample_from_its_first_bytes(TrajectoryFormat format)
    {
        byte[] bytes = File.ReadAllBytes(IngestSamples.PathOf(format));
        Assert.Equal(format, TrajectoryFormatDetector.Detect(bytes));
        Assert.Equal(format, TrajectoryFormatDetector.Detect(bytes.AsSpan(0, Math.Min(bytes.Length, 300))));
    }

    [Theory]
    [InlineData("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":""", TrajectoryFormat.Otlp)]
    [InlineData("""{"schema_version":"ATIF-v1.4","session_id":"x","steps":[""", TrajectoryFormat.Atif)]
    [InlineData("""{"type":"ReplayHeader","replay_version":1}""", TrajectoryFormat.Replay)]
    [InlineData("""{"timestamp":"2026-01-01T00:00:00Z","type":"session_meta","payload":{"id":"x"}}""", TrajectoryFormat.Codex)]
    [InlineData("""{"parentUuid":null,"isSidechain":false,"type":"user","message":{"role":"user","content":"hi"}}""", TrajectoryFormat.Claude)]
    [InlineData("\uFEFF{\"type\":\"summary\",\"summary\":\"x\",\"leafUuid\":\"y\"}", TrajectoryFormat.Claude)]
    public void Detects_formats_from_a_head_that_ends_mid_document(string head, TrajectoryFormat format) =>
        Assert.Equal(format, TrajectoryFormatDetector.Detect(Encoding.UTF8.GetBytes(head)));

    [Theory]
    [InlineData("")]
    [InlineData("hello world")]
    [InlineData("[1,2,3]")]
    [InlineData("""{"kind":1,"content":"a nostr event"}""")]
    public void Detects_nothing_in_other_input(string head) =>
        Assert.Null(TrajectoryFormatDetector.Detect(Encoding.UTF8.GetBytes(head)));

    [Fact]
    public async Task Auto_on_unknown_input_names_the_file_and_what_it_starts_with()
    {
        var ex = await Assert.ThrowsAsync<IngestException>(() => IngestSamples.ReadAsync("""{"kind":1}""", TrajectoryFormat.Auto));
        Assert.Equal("input", ex.File);
        Assert.Contains("cannot tell the format", ex.Message, StringComparison.Ordinal);
        Assert.Contains("{\"kind\":1}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_file_is_an_ingest_error_naming_it()
    {
        var ex = await Assert.ThrowsAsync<IngestException>(() => new TrajectoryIngest().ReadFileAsync("/nonexistent/run.jsonl"));
        Assert.Equal("/nonexistent/run.jsonl", ex.File);
    }

    [Theory]
    [InlineData("claude", TrajectoryFormat.Claude)]
    [InlineData("OTLP", TrajectoryFormat.Otlp)]
    [InlineData("auto", TrajectoryFormat.Auto)]
    public void Parses_format_names(string name, TrajectoryFormat format) => Assert.Equal(format, TrajectoryFormatDetector.ParseName(name));

    [Theory]
    [InlineData("json")]
    [InlineData("3")]
    public void Rejects_unknown_format_names(string name) =>
        Assert.Contains("unknown format", Assert.Throws<ArgumentException>(() => TrajectoryFormatDetector.ParseName(name)).Message, StringComparison.Ordinal);
}
