using SovereignTrajectories.Audit.Fetching;
using SovereignTrajectories.Cli.Infrastructure;

namespace SovereignTrajectories.Cli.Tests.Infrastructure;

/// <summary>The progress line of <c>sovtraj verify</c> on a terminal: rewritten in place, at most every 100 ms within a stage, cleared before the report.</summary>
public sealed class TerminalProgressTests
{
    [Fact]
    public void Rewrites_one_line_at_most_every_100_ms_within_a_stage_and_at_once_on_a_new_stage()
    {
        var clock = new ManualClock();
        var writer = new StringWriter();
        var progress = new TerminalProgress(writer, clock);

        progress.Report(new AuditProgress(AuditStage.Reading, 0, 10 * 1048576));
        clock.Advance(TimeSpan.FromMilliseconds(99));
        progress.Report(new AuditProgress(AuditStage.Reading, 4 * 1048576, 10 * 1048576));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        progress.Report(new AuditProgress(AuditStage.Reading, 8 * 1048576, 10 * 1048576));
        progress.Report(new AuditProgress(AuditStage.Checking, 1234567, null));

        // A shorter line is padded over what the longer one before it left.
        const string Reading80 = "sovtraj: reading the archive, 80% (8.0 of 10.0 MiB)";
        Assert.Equal(
            "\rsovtraj: reading the archive, 0% (0.0 of 10.0 MiB)"
            + "\r" + Reading80
            + "\r" + "sovtraj: checking 1,234,567 events".PadRight(Reading80.Length),
            writer.ToString());
        Assert.DoesNotContain('\n', writer.ToString());
    }

    [Fact]
    public void Clear_blanks_the_longest_line_written_and_a_cleared_progress_writes_nothing_more_on_clear()
    {
        var writer = new StringWriter();
        var progress = new TerminalProgress(writer, new ManualClock());
        progress.Report(new AuditProgress(AuditStage.Fetching, 500, null));
        int before = writer.ToString().Length;

        progress.Clear();
        string cleared = writer.ToString()[before..];
        Assert.Equal("\r" + new string(' ', "sovtraj: fetching from relays, 500 events so far".Length) + "\r", cleared);

        progress.Clear();
        Assert.Equal(before + cleared.Length, writer.ToString().Length);

        var silent = new StringWriter();
        new TerminalProgress(silent, new ManualClock()).Clear();
        Assert.Empty(silent.ToString());
    }

    [Theory]
    [InlineData(AuditStage.Reading, 0L, 0L, "reading the archive, 0.0 MiB")]
    [InlineData(AuditStage.Reading, 3145728L, null, "reading the archive, 3.0 MiB")]
    [InlineData(AuditStage.Reading, 93745408L, 93745408L, "reading the archive, 100% (89.4 of 89.4 MiB)")]
    [InlineData(AuditStage.Fetching, 12000L, null, "fetching from relays, 12,000 events so far")]
    [InlineData(AuditStage.Checking, 2L, null, "checking 2 events")]
    public void Describes_each_stage_in_words_and_units(AuditStage stage, long done, long? total, string expected) =>
        Assert.Equal(expected, TerminalProgress.Describe(new AuditProgress(stage, done, total)));

    [Fact]
    public void Is_only_made_for_the_console_error_stream()
    {
        Assert.Null(TerminalProgress.ForTerminal(new StringWriter()));
    }

    /// <summary>A clock that moves only when told.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
