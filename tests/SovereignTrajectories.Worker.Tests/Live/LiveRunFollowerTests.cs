using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SovereignTrajectories.Testing;
using SovereignTrajectories.Trajectories.Ingest;
using SovereignTrajectories.Trajectories.Model;
using SovereignTrajectories.Trajectories.Replay;
using SovereignTrajectories.Worker.Configuration;
using SovereignTrajectories.Worker.Intake;
using SovereignTrajectories.Worker.Live;
using SovereignTrajectories.Worker.Tests.Intake;

namespace SovereignTrajectories.Worker.Tests.Live;

public sealed class LiveRunFollowerTests : IDisposable
{
    private static readonly string[] ReplayLines = File.ReadAllLines(Path.Combine(RepoPaths.SamplesDir, "replay", "REPLAY.jsonl"));
    private static readonly string[] ClaudeLines = File.ReadAllLines(Path.Combine(RepoPaths.SamplesDir, "claude", "session.jsonl"));

    private readonly TempDirectory _temp = new();
    private readonly RecordingSink _sink = new();
    private readonly ManualClock _clock = new();
    private readonly IntakeMonitor _monitor = new();
    private readonly string _live;

    public LiveRunFollowerTests()
    {
        _live = _temp.Combine("live");
        Directory.CreateDirectory(_live);
    }

    public void Dispose()
    {
        _monitor.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task Follows_a_replay_being_written_opening_then_step_batches_then_the_final_version()
    {
        string path = Path.Combine(_live, "REPLAY.jsonl");
        LiveRunFollower follower = Follower();
        Trajectory full = ReplayReader.Read(string.Join('\n', ReplayLines));
        string sid = full.Session.Sid;

        await WriteAndPoll(follower, path, ReplayLines[0..2]);
        SinkCall opening = Assert.Single(_sink.Calls);
        Assert.Equal("commit", opening.Kind);
        Assert.Empty(opening.Steps);
        Assert.Null(opening.EndedAt);

        await WriteAndPoll(follower, path, ReplayLines[2..5]);
        Assert.Equal(3, _sink.Session(sid)!.Steps.Count);
        Assert.Equal(3, _sink.Calls[^1].Steps.Count); // one batch

        // A tool call without its result yet may still change: held back.
        await WriteAndPoll(follower, path, ReplayLines[5..6]);
        Assert.Equal(3, _sink.Session(sid)!.Steps.Count);

        await WriteAndPoll(follower, path, ReplayLines[6..^1]);
        Assert.False(_sink.Session(sid)!.Session.IsComplete);
        Assert.Equal(full.Steps.Count, _sink.Session(sid)!.Steps.Count);

        await WriteAndPoll(follower, path, ReplayLines[^1..]);
        Trajectory stored = _sink.Session(sid)!;
        Assert.Equal(full.Steps, stored.Steps);
        Assert.Equal(full.Session.EndedAt, stored.Session.EndedAt);
        Assert.Equal(1, _sink.Calls.Count(c => c.Kind == "commit"));
        Assert.Equal(0, _monitor.Snapshot().LiveRunsFollowing);
        Assert.Equal(1, _monitor.Snapshot().LiveRunsEnded);
    }

    [Fact]
    public async Task Ignores_a_last_line_not_yet_complete()
    {
        string path = Path.Combine(_live, "REPLAY.jsonl");
        LiveRunFollower follower = Follower();
        await WriteAndPoll(follower, path, ReplayLines[0..3]);
        int before = _sink.Session(ReplayReader.Read(string.Join('\n', ReplayLines)).Session.Sid)!.Steps.Count;

        string half = ReplayLines[3][..(ReplayLines[3].Length / 2)];
        await File.AppendAllTextAsync(path, half);
        await follower.PollOnceAsync(CancellationToken.None);

        Assert.Equal(before, _sink.Sessions.Single().Steps.Count);
        Assert.Single(_sink.Calls);
    }

    [Fact]
    public async Task Ends_a_log_without_end_marker_after_the_idle_timeout_with_every_step()
    {
        string path = Path.Combine(_live, "session.jsonl");
        LiveRunFollower follower = Follower(idle: TimeSpan.FromMinutes(5));
        Trajectory full = (await new TrajectoryIngest().ReadFileAsync(Path.Combine(RepoPaths.SamplesDir, "claude", "session.jsonl"))).Single();

        await WriteAndPoll(follower, path, ClaudeLines);
        Trajectory open = _sink.Session(full.Session.Sid)!;
        Assert.False(open.Session.IsComplete);
        Assert.True(open.Steps.Count < full.Steps.Count); // the last step may still grow: held back

        _clock.Advance(TimeSpan.FromMinutes(4));
        await follower.PollOnceAsync(CancellationToken.None);
        Assert.False(_sink.Session(full.Session.Sid)!.Session.IsComplete);

        _clock.Advance(TimeSpan.FromMinutes(1));
        await follower.PollOnceAsync(CancellationToken.None);
        Trajectory ended = _sink.Session(full.Session.Sid)!;
        Assert.True(ended.Session.IsComplete);
        Assert.Equal(full.Steps, ended.Steps);
        Assert.Equal(full.Session.EndedAt ?? full.Steps.Max(s => s.Timestamp), ended.Session.EndedAt);
    }

    [Fact]
    public async Task A_restarted_follower_resumes_the_run_instead_of_publishing_it_again()
    {
        string path = Path.Combine(_live, "REPLAY.jsonl");
        await WriteAndPoll(Follower(), path, ReplayLines[0..10]);
        int storedBefore = _sink.Sessions.Single().Steps.Count;
        Assert.True(storedBefore > 0);

        LiveRunFollower restarted = Follower();
        await WriteAndPoll(restarted, path, ReplayLines[10..]);

        Trajectory full = ReplayReader.Read(string.Join('\n', ReplayLines));
        Assert.Equal(full.Steps, _sink.Session(full.Session.Sid)!.Steps);
        Assert.True(_sink.Session(full.Session.Sid)!.Session.IsComplete);
        Assert.Equal(1, _sink.Calls.Count(c => c.Kind == "commit"));
    }

    [Fact]
    public async Task The_running_worker_follows_lines_appended_to_a_replay()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2)); // hang guard only
        var intake = new IntakeOptions();
        intake.Live.Directories = ["live"];
        intake.Live.BatchDelay = TimeSpan.Zero;
        intake.Live.RescanInterval = TimeSpan.FromMilliseconds(200);
        var service = new LiveRunService(
            Options.Create(intake),
            Options.Create(new SovereignTrajectoriesOptions { DataDirectory = _temp.Path }),
            new TrajectoryCommitter(_sink, new SessionLocks()),
            _monitor,
            TimeProvider.System,
            NullLoggerFactory.Instance);
        Trajectory full = ReplayReader.Read(string.Join('\n', ReplayLines));
        string sid = full.Session.Sid;
        string path = Path.Combine(_live, "REPLAY.jsonl");

        await service.StartAsync(cts.Token);
        try
        {
            await File.AppendAllLinesAsync(path, ReplayLines[0..2], cts.Token);
            await _sink.WaitUntilAsync(s => s.Session(sid) is not null, cts.Token);

            await File.AppendAllLinesAsync(path, ReplayLines[2..5], cts.Token);
            await _sink.WaitUntilAsync(s => s.Session(sid)!.Steps.Count == 3, cts.Token);

            await File.AppendAllLinesAsync(path, ReplayLines[5..], cts.Token);
            await _sink.WaitUntilAsync(s => s.Session(sid)!.Session.IsComplete, cts.Token);
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
            service.Dispose();
        }

        Assert.Equal(full.Steps, _sink.Session(sid)!.Steps);
        Assert.Null(_sink.Calls[0].EndedAt); // the opening went out before the end
        Assert.Empty(_sink.Calls[0].Steps);
    }

    private LiveRunFollower Follower(TimeSpan? idle = null)
    {
        var options = new LiveOptions { IdleTimeout = idle ?? TimeSpan.FromMinutes(5) };
        return new LiveRunFollower(new TrajectoryCommitter(_sink, new SessionLocks()), _monitor, options, [_live], _clock, NullLogger<LiveRunFollower>.Instance);
    }

    private static async Task WriteAndPoll(LiveRunFollower follower, string path, string[] lines)
    {
        await File.AppendAllLinesAsync(path, lines);
        await follower.PollOnceAsync(CancellationToken.None);
    }
}
