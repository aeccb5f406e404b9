using System.Text.Json;
using System.Text.RegularExpressions;
using SovereignTrajectories.Cli.Tests.Support;
using SovereignTrajectories.Testing;

namespace SovereignTrajectories.Cli.Tests.Commands;

/// <summary><c>sovtraj verify --offline</c> as a user runs it: a real process over a real file.</summary>
public sealed partial class VerifyOfflineCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sovtraj-verify-offline-").FullName;

    [Fact]
    public async Task Stats_line_counts_the_events_read_and_names_time_cpu_and_memory()
    {
        string keyFile = Path.Combine(_dir, "agent.nsec");
        Assert.Equal(0, (await SovtrajProcess.RunAsync("keygen", "--out", keyFile)).ExitCode);
        string pubKey = (await SovtrajProcess.RunAsync("key", "show", "--key", keyFile)).Lines[1];
        string events = Path.Combine(_dir, "events.jsonl");
        SovtrajResult converted = await SovtrajProcess.RunAsync("convert", RepoPaths.Combine("samples", "atif", "trajectory.json"), "--key", keyFile, "--out", events);
        Assert.True(converted.ExitCode == 0, converted.ToString());
        string[] lines = File.ReadAllLines(events).Where(l => l.Length > 0).ToArray();
        string sid = JsonDocument.Parse(lines.First(l => l.Contains("\"kind\":39230", StringComparison.Ordinal)))
            .RootElement.GetProperty("tags").EnumerateArray().First(t => t[0].GetString() == "d")[1].GetString()!;

        SovtrajResult result = await SovtrajProcess.RunAsync("verify", $"39230:{pubKey}:{sid}", "--offline", events, "--json", "--stats");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("pass", JsonDocument.Parse(result.StdOut).RootElement.GetProperty("verdict").GetString());
        Match stats = StatsLine().Match(result.StdErr);
        Assert.True(stats.Success, result.StdErr);
        Assert.Equal(lines.Length, int.Parse(stats.Groups["events"].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(int.Parse(stats.Groups["peak"].Value, System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.True(int.Parse(stats.Groups["allocated"].Value, System.Globalization.CultureInfo.InvariantCulture) > 0);
    }

    [Fact]
    public async Task Without_stats_nothing_but_the_report_is_written()
    {
        SovtrajResult result = await SovtrajProcess.RunAsync("verify", $"39230:{new string('a', 64)}:missing", "--offline", _dir, "--json");

        Assert.DoesNotContain("stats:", result.StdErr, StringComparison.Ordinal);
        Assert.Equal(2, result.ExitCode);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [GeneratedRegex(@"sovtraj: stats: (?<events>\d+) events in \d+\.\d{3} s \(\d+ events/s\); process CPU \d+\.\d\d s on \d+ cores; peak memory (?<peak>\d+) MB; GC \d+/\d+/\d+ collections \(gen 0/1/2\), \d+ ms paused, (?<allocated>\d+) MB allocated$", RegexOptions.Multiline)]
    private static partial Regex StatsLine();
}
