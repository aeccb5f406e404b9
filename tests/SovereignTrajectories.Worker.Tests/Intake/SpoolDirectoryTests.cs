using SovereignTrajectories.Worker.Intake;

namespace SovereignTrajectories.Worker.Tests.Intake;

public sealed class SpoolDirectoryTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _temp = new();
    private readonly SpoolDirectory _spool;

    public SpoolDirectoryTests()
    {
        _spool = new SpoolDirectory(_temp.Combine("spool"));
        _spool.EnsureCreated();
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_failed_file_lands_with_its_whole_reason_and_nothing_else()
    {
        string path = Inbox("broken.jsonl");

        string moved = _spool.MoveToFailed(path, "line 2: not JSON", At);

        Assert.Equal(Path.Combine(_spool.Failed, "broken.jsonl"), moved);
        Assert.False(File.Exists(path));
        Assert.Equal(["broken.jsonl", "broken.jsonl" + SpoolDirectory.ErrorSuffix], Names(_spool.Failed));
        Assert.Equal("file: broken.jsonl\nfailed at: 2026-11-21T12:00:00Z\nreason: line 2: not JSON\n", File.ReadAllText(moved + SpoolDirectory.ErrorSuffix));
        Assert.Empty(Directory.GetFiles(_spool.Root));
    }

    [Fact]
    public void A_reason_left_without_its_file_by_a_killed_worker_is_rewritten_in_place()
    {
        // What a worker killed after writing the reason and before moving the file leaves: the file still
        // in the inbox, and a reason (here an empty one, as a kill during a plain write would leave) in failed/.
        string path = Inbox("broken.jsonl");
        File.WriteAllText(Path.Combine(_spool.Failed, "broken.jsonl" + SpoolDirectory.ErrorSuffix), string.Empty);

        string moved = _spool.MoveToFailed(path, "line 2: not JSON", At);

        Assert.Equal(Path.Combine(_spool.Failed, "broken.jsonl"), moved);
        Assert.Equal(["broken.jsonl", "broken.jsonl" + SpoolDirectory.ErrorSuffix], Names(_spool.Failed));
        Assert.Contains("reason: line 2: not JSON", File.ReadAllText(moved + SpoolDirectory.ErrorSuffix), StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_taken_by_an_earlier_failed_file_gets_a_number_and_both_reasons_stay()
    {
        _spool.MoveToFailed(Inbox("broken.jsonl"), "first", At);

        string moved = _spool.MoveToFailed(Inbox("broken.jsonl"), "second", At);

        Assert.Equal(Path.Combine(_spool.Failed, "1-broken.jsonl"), moved);
        Assert.Contains("reason: first", File.ReadAllText(Path.Combine(_spool.Failed, "broken.jsonl" + SpoolDirectory.ErrorSuffix)), StringComparison.Ordinal);
        Assert.Contains("reason: second", File.ReadAllText(moved + SpoolDirectory.ErrorSuffix), StringComparison.Ordinal);
    }

    [Fact]
    public void Starting_again_clears_a_reason_file_a_killed_worker_left_half_written()
    {
        string leftover = Path.Combine(_spool.Root, ".broken.jsonl" + SpoolDirectory.ErrorSuffix + ".tmp");
        File.WriteAllText(leftover, "file: broken.jsonl\nfail");
        string unrelated = Path.Combine(_spool.Root, "notes.txt");
        File.WriteAllText(unrelated, "kept");

        _spool.EnsureCreated();

        Assert.False(File.Exists(leftover));
        Assert.True(File.Exists(unrelated));
    }

    private string Inbox(string name)
    {
        string path = Path.Combine(_spool.Inbox, name);
        File.WriteAllText(path, "{\"type\":\"ReplayHeader\"}\nnot json\n");
        return path;
    }

    private static string[] Names(string directory) =>
        Directory.GetFiles(directory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();
}
