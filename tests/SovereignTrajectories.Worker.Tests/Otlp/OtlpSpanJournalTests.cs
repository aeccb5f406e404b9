using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using SovereignTrajectories.Trajectories.Model;
using SovereignTrajectories.Worker.Intake;
using SovereignTrajectories.Worker.Otlp;
using SovereignTrajectories.Worker.Tests.Intake;
using static SovereignTrajectories.Worker.Tests.Otlp.OtlpRequests;

namespace SovereignTrajectories.Worker.Tests.Otlp;

/// <summary>
/// Spans answered 200 but not yet stored as a run survive a crash: each test drops an assembler
/// without its shutdown sweep (what kill -9 leaves) and starts a new one over the same journal.
/// </summary>
public sealed class OtlpSpanJournalTests
{
    [Fact]
    public async Task Spans_answered_before_a_crash_are_taken_back_and_end_up_in_the_run()
    {
        using var dir = new TempDirectory();
        var first = new Receiver(dir.Path);
        await first.Assembler.AcceptAsync(Json(Export(Span("b1", "a1", "execute_tool", 2))), CancellationToken.None);
        await first.Assembler.AcceptAsync(Json(Export(Span("c1", "a1", "execute_tool", 3))), CancellationToken.None);
        Assert.Empty(first.Sink.Sessions);
        // Crash: the first receiver is gone without storing anything.

        var second = new Receiver(dir.Path);
        Assert.Equal(1, await second.Assembler.RestoreAsync(CancellationToken.None));
        OtlpAcceptResult result = await second.Assembler.AcceptAsync(Json(Export(Span("a1", null, "invoke_agent", 1))), CancellationToken.None);

        Assert.Equal(1, result.TracesCommitted);
        Trajectory run = Assert.Single(second.Sink.Sessions);
        Assert.Equal(TraceId, run.Session.Sid);
        Assert.Equal(2, run.Steps.Count(s => s is ToolStep { Name: "bash" })); // both from before the crash
        Assert.Equal(1, second.Monitor.Snapshot().SpansReceived); // the root: the others were counted by the first run
        Assert.Empty(Directory.GetFiles(second.JournalDirectory)); // stored: nothing left to take back
    }

    [Fact]
    public async Task A_span_sent_again_after_the_restart_is_taken_once()
    {
        using var dir = new TempDirectory();
        var first = new Receiver(dir.Path);
        string child = Export(Span("b1", "a1", "execute_tool", 2));
        await first.Assembler.AcceptAsync(Json(child), CancellationToken.None);

        var second = new Receiver(dir.Path);
        await second.Assembler.RestoreAsync(CancellationToken.None);
        OtlpAcceptResult again = await second.Assembler.AcceptAsync(Json(child), CancellationToken.None);

        Assert.Equal(0, again.SpansAccepted);
        Assert.Single(File.ReadAllLines(Assert.Single(Directory.GetFiles(second.JournalDirectory))));
    }

    [Fact]
    public async Task A_line_cut_short_by_the_crash_is_dropped_and_later_spans_still_count()
    {
        using var dir = new TempDirectory();
        var first = new Receiver(dir.Path);
        await first.Assembler.AcceptAsync(Json(Export(Span("b1", "a1", "execute_tool", 2))), CancellationToken.None);
        string file = Assert.Single(Directory.GetFiles(first.JournalDirectory));
        await File.AppendAllTextAsync(file, "{\"at\":17000000000,\"request\":{\"resourceSp"); // torn write

        var second = new Receiver(dir.Path);
        Assert.Equal(1, await second.Assembler.RestoreAsync(CancellationToken.None));
        await second.Assembler.AcceptAsync(Json(Export(Span("c1", "a1", "execute_tool", 3))), CancellationToken.None);
        Assert.All(File.ReadAllLines(file), line => Assert.StartsWith("{\"at\":", line, StringComparison.Ordinal));

        var third = new Receiver(dir.Path);
        await third.Assembler.RestoreAsync(CancellationToken.None);
        await third.Assembler.AcceptAsync(Json(Export(Span("a1", null, "invoke_agent", 1))), CancellationToken.None);
        Assert.Equal(2, Assert.Single(third.Sink.Sessions).Steps.Count(s => s is ToolStep));
    }

    [Fact]
    public async Task A_restored_trace_without_its_root_ends_after_the_idle_timeout_counted_from_its_arrival()
    {
        using var dir = new TempDirectory();
        var clock = new ManualClock();
        var first = new Receiver(dir.Path, clock);
        await first.Assembler.AcceptAsync(Json(Export(Span("b1", "a1", "execute_tool", 2))), CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(5)); // the worker was down longer than the idle timeout

        var second = new Receiver(dir.Path, clock);
        await second.Assembler.RestoreAsync(CancellationToken.None);

        Assert.Equal(1, await second.Assembler.SweepAsync(CancellationToken.None));
        Assert.Single(second.Sink.Sessions);
        Assert.Empty(Directory.GetFiles(second.JournalDirectory));
    }

    [Fact]
    public async Task When_the_spans_cannot_be_recorded_the_request_is_refused_with_503_and_nothing_is_taken()
    {
        using var dir = new TempDirectory();
        string blocked = dir.Combine("journal-is-a-file");
        await File.WriteAllTextAsync(blocked, "not a directory");
        var receiver = new Receiver(dir.Path, journal: blocked);

        var ex = await Assert.ThrowsAsync<OtlpRequestException>(() => receiver.Assembler.AcceptAsync(Json(Export(Span("b1", "a1", "execute_tool", 2))), CancellationToken.None));

        Assert.Equal(503, ex.StatusCode);
        Assert.Contains("could not be recorded", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, receiver.Assembler.OpenTraceCount);
        Assert.Equal(0, receiver.Monitor.Snapshot().SpansReceived);
    }

    private static ReadOnlyMemory<byte> Json(string request) => Encoding.UTF8.GetBytes(request);

    private sealed class Receiver
    {
        public Receiver(string dataDirectory, TimeProvider? time = null, string? journal = null)
        {
            JournalDirectory = journal ?? Path.Combine(dataDirectory, "otlp-open");
            var options = new OtlpOptions { RootGracePeriod = TimeSpan.Zero };
            Assembler = new OtlpTraceAssembler(
                new TrajectoryCommitter(Sink, new SessionLocks()),
                Monitor,
                options,
                time ?? TimeProvider.System,
                NullLogger<OtlpTraceAssembler>.Instance,
                new OtlpSpanJournal(JournalDirectory));
        }

        public string JournalDirectory { get; }

        public RecordingSink Sink { get; } = new();

        public IntakeMonitor Monitor { get; } = new();

        public OtlpTraceAssembler Assembler { get; }
    }
}
