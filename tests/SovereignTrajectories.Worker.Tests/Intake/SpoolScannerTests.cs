using Microsoft.Extensions.Logging.Abstractions;
using SovereignTrajectories.Testing;
using SovereignTrajectories.Trajectories.Ingest;
using SovereignTrajectories.Trajectories.Model;
using SovereignTrajectories.Worker.Intake;

namespace SovereignTrajectories.Worker.Tests.Intake;

public sealed class SpoolScannerTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly RecordingSink _sink = new();
    private readonly ManualClock _clock = new();
    private readonly IntakeMonitor _monitor = new();
    private readonly SpoolDirectory _spool;

    public SpoolScannerTests()
    {
        _spool = new SpoolDirectory(_temp.Combine("spool"));
        _spool.EnsureCreated();
    }

    public void Dispose()
    {
        _monitor.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task Archives_good_files_and_fails_a_bad_one_without_stopping_the_others()
    {
        Drop("replay", "REPLAY.jsonl", "a-replay.jsonl");
        File.WriteAllText(Path.Combine(_spool.Inbox, "b-bad.jsonl"), "{\"type\":\"ReplayHeader\",\"replay_version\":1}\nthis is not json\n");
        Drop("claude", "session.jsonl", "c-claude.jsonl");
        Drop("otlp", "trace.json", "d-trace.json");

        int settled = await Scanner(TimeSpan.Zero).ScanOnceAsync(CancellationToken.None);

        Assert.Equal(4, settled);
        Assert.Equal(["a-replay.jsonl", "c-claude.jsonl", "d-trace.json"], Names(_spool.Archive));
        Assert.Equal(["b-bad.jsonl", "b-bad.jsonl.error.txt"], Names(_spool.Failed));
        Assert.Empty(Names(_spool.Inbox));
        string reason = File.ReadAllText(Path.Combine(_spool.Failed, "b-bad.jsonl.error.txt"));
        Assert.Contains("b-bad.jsonl:2", reason, StringComparison.Ordinal);
        Assert.Contains("not JSON", reason, StringComparison.Ordinal);

        // Each good run is stored whole and ended, equal to what the ingest adapter reads.
        Assert.Equal(3, _sink.Sessions.Count);
        Assert.All(_sink.Sessions, s => Assert.True(s.Session.IsComplete));
        Trajectory replay = (await new TrajectoryIngest().ReadFileAsync(Path.Combine(RepoPaths.SamplesDir, "replay", "REPLAY.jsonl"))).Single();
        Assert.Equal(replay.Steps, _sink.Session(replay.Session.Sid)!.Steps);
        Assert.Equal(1, _monitor.Snapshot().FilesFailed);
        Assert.Equal(3, _monitor.Snapshot().FilesArchived);
    }

    [Fact]
    public async Task Ignores_part_files_until_they_are_renamed()
    {
        string part = Path.Combine(_spool.Inbox, "run.jsonl.part");
        File.Copy(Path.Combine(RepoPaths.SamplesDir, "replay", "REPLAY.jsonl"), part);
        SpoolScanner scanner = Scanner(TimeSpan.Zero);

        Assert.Equal(0, await scanner.ScanOnceAsync(CancellationToken.None));
        Assert.Empty(_sink.Calls);
        Assert.True(File.Exists(part));

        File.Move(part, Path.Combine(_spool.Inbox, "run.jsonl"));
        Assert.Equal(1, await scanner.ScanOnceAsync(CancellationToken.None));
        Assert.Single(_sink.Calls);
        Assert.Equal(["run.jsonl"], Names(_spool.Archive));
    }

    [Fact]
    public async Task Takes_an_unrenamed_file_only_after_it_stayed_unchanged_for_the_quiet_period()
    {
        string path = Path.Combine(_spool.Inbox, "run.jsonl");
        string[] lines = File.ReadAllLines(Path.Combine(RepoPaths.SamplesDir, "replay", "REPLAY.jsonl"));
        File.WriteAllLines(path, lines[..5]);
        SpoolScanner scanner = Scanner(TimeSpan.FromSeconds(2));

        Assert.Equal(0, await scanner.ScanOnceAsync(CancellationToken.None));
        _clock.Advance(TimeSpan.FromSeconds(1.5));
        File.AppendAllLines(path, lines[5..]); // still being written: the quiet period restarts
        Assert.Equal(0, await scanner.ScanOnceAsync(CancellationToken.None));
        _clock.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Equal(0, await scanner.ScanOnceAsync(CancellationToken.None));
        Assert.Empty(_sink.Calls);

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await scanner.ScanOnceAsync(CancellationToken.None));
        Trajectory stored = Assert.Single(_sink.Sessions);
        Assert.Equal(ReplayReaderSteps(lines), stored.Steps.Count);
    }

    [Fact]
    public async Task Retries_a_file_the_outbox_could_not_store_then_fails_it_with_the_reason()
    {
        Drop("replay", "REPLAY.jsonl", "run.jsonl");
        _sink.Failure = new IOException("database is locked");
        SpoolScanner scanner = Scanner(TimeSpan.Zero, maxAttempts: 2);

        Assert.Equal(0, await scanner.ScanOnceAsync(CancellationToken.None));
        Assert.Equal(["run.jsonl"], Names(_spool.Inbox));
        Assert.Single(_sink.Failures);

        // Not tried again before its back-off has passed.
        Assert.Equal(0, await scanner.ScanOnceAsync(CancellationToken.None));
        Assert.Single(_sink.Failures);

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await scanner.ScanOnceAsync(CancellationToken.None));
        Assert.Equal(2, _sink.Failures.Count);
        string reason = File.ReadAllText(Path.Combine(_spool.Failed, "run.jsonl.error.txt"));
        Assert.Contains("gave up after 2 attempts: database is locked", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_dropped_again_is_not_committed_twice()
    {
        Drop("replay", "REPLAY.jsonl", "run.jsonl");
        SpoolScanner scanner = Scanner(TimeSpan.Zero);
        await scanner.ScanOnceAsync(CancellationToken.None);
        Drop("replay", "REPLAY.jsonl", "run.jsonl");

        Assert.Equal(1, await scanner.ScanOnceAsync(CancellationToken.None));

        Assert.Single(_sink.Calls);
        Assert.Equal(["1-run.jsonl", "run.jsonl"], Names(_spool.Archive));
    }

    [Fact]
    public async Task A_file_in_no_known_format_fails_with_a_reason_naming_it()
    {
        File.WriteAllText(Path.Combine(_spool.Inbox, "notes.txt"), "hello, this is not an agent run\n");

        await Scanner(TimeSpan.Zero).ScanOnceAsync(CancellationToken.None);

        string reason = File.ReadAllText(Path.Combine(_spool.Failed, "notes.txt.error.txt"));
        Assert.Contains("notes.txt", reason, StringComparison.Ordinal);
        Assert.Contains("cannot tell the format", reason, StringComparison.Ordinal);
        Assert.Empty(_sink.Calls);
    }

    private static int ReplayReaderSteps(string[] lines) =>
        Trajectories.Replay.ReplayReader.Read(string.Join('\n', lines)).Steps.Count;

    [Fact]
    public async Task Taking_files_concurrently_archives_every_good_run_and_fails_each_bad_file_alone_with_its_reason()
    {
        Drop("replay", "REPLAY.jsonl", "a-replay.jsonl");
        File.WriteAllText(Path.Combine(_spool.Inbox, "b-empty.jsonl"), string.Empty);
        Drop("claude", "session.jsonl", "c-claude.jsonl");
        File.WriteAllBytes(Path.Combine(_spool.Inbox, "d-binary.jsonl"), [0x00, 0xFF, 0xFE, 0x01, 0x02, 0x7F, 0x80]);
        Drop("otlp", "trace.json", "e-trace.json");
        File.WriteAllText(Path.Combine(_spool.Inbox, "f-truncated.jsonl"), "{\"type\":\"ReplayHeader\",\"replay_vers");

        int settled = await Scanner(TimeSpan.Zero, maxConcurrentFiles: 4).ScanOnceAsync(CancellationToken.None);

        Assert.Equal(6, settled);
        Assert.Empty(Names(_spool.Inbox));
        Assert.Equal(["a-replay.jsonl", "c-claude.jsonl", "e-trace.json"], Names(_spool.Archive));
        foreach (string bad in new[] { "b-empty.jsonl", "d-binary.jsonl", "f-truncated.jsonl" })
        {
            string reason = File.ReadAllText(Path.Combine(_spool.Failed, bad + SpoolDirectory.ErrorSuffix));
            Assert.Contains(bad, reason, StringComparison.Ordinal);
            Assert.Contains("reason: ", reason, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(_spool.Failed, bad)), $"{bad} was not kept in failed/");
        }

        Assert.Equal(3, _sink.Sessions.Count);
        Assert.Equal(3, _monitor.Snapshot().FilesFailed);
        Assert.Equal(3, _monitor.Snapshot().FilesArchived);
    }

    private SpoolScanner Scanner(TimeSpan quiet, int maxAttempts = 5, int maxConcurrentFiles = 1)
    {
        var committer = new TrajectoryCommitter(_sink, new SessionLocks());
        var handler = new RunFileHandler(new TrajectoryIngest(), committer, TrajectoryFormat.Auto, IngestOptions.Default, NullLogger<RunFileHandler>.Instance);
        return new SpoolScanner("spool", _spool, handler, quiet, maxAttempts, _clock, _monitor, NullLogger.Instance, maxConcurrentFiles);
    }

    private void Drop(string sampleFolder, string sample, string name) =>
        File.Copy(Path.Combine(RepoPaths.SamplesDir, sampleFolder, sample), Path.Combine(_spool.Inbox, name));

    private static string[] Names(string directory) =>
        Directory.GetFiles(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
}
