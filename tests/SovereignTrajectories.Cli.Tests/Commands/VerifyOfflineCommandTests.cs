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
        (string events, string target, string[] lines) = await ConvertSampleAsync();

        SovtrajResult result = await SovtrajProcess.RunAsync("verify", target, "--offline", events, "--json", "--stats");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("pass", JsonDocument.Parse(result.StdOut).RootElement.GetProperty("verdict").GetString());
        Match stats = StatsLine().Match(result.StdErr);
        Assert.True(stats.Success, result.StdErr);
        Assert.Equal(lines.Length, int.Parse(stats.Groups["events"].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(int.Parse(stats.Groups["peak"].Value, System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.True(int.Parse(stats.Groups["allocated"].Value, System.Globalization.CultureInfo.InvariantCulture) > 0);

        // The two parts of the audit's time add up to it (each printed rounded to the millisecond).
        double Seconds(string group) => double.Parse(stats.Groups[group].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Seconds("fetch") > 0, result.StdErr);
        Assert.InRange(Seconds("fetch") + Seconds("checks"), Seconds("seconds") - 0.0015, Seconds("seconds") + 0.0015);
    }

    [Fact]
    public async Task Without_stats_nothing_but_the_report_is_written()
    {
        SovtrajResult result = await SovtrajProcess.RunAsync("verify", $"39230:{new string('a', 64)}:missing", "--offline", _dir, "--json");

        Assert.DoesNotContain("stats:", result.StdErr, StringComparison.Ordinal);
        Assert.Equal(2, result.ExitCode);
    }

    [Fact]
    public async Task On_a_terminal_progress_is_shown_then_cleared_and_never_when_stderr_is_redirected()
    {
        (string events, string target, _) = await ConvertSampleAsync();

        SovtrajResult redirected = await SovtrajProcess.RunAsync("verify", target, "--offline", events, "--json");
        Assert.True(redirected.ExitCode == 0, redirected.ToString());
        Assert.DoesNotContain("reading the archive", redirected.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain('\r', redirected.StdErr);

        // script(1) runs the command on a new pseudo-terminal and copies what reaches it into a file:
        // stderr stays on the terminal, stdout goes to a file.
        string report = Path.Combine(_dir, "report.json");
        string terminal = Path.Combine(_dir, "terminal.txt");
        string dll = Path.Combine(AppContext.BaseDirectory, "sovtraj.dll");
        var start = new System.Diagnostics.ProcessStartInfo("script")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { "-q", "-e", "-c", $"dotnet '{dll}' verify '{target}' --offline '{events}' --json > '{report}'", terminal })
        {
            start.ArgumentList.Add(a);
        }

        using var script = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("could not start script(1) from util-linux");
        script.StandardInput.Close();
        Task<string> output = script.StandardOutput.ReadToEndAsync();
        Task<string> errors = script.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await script.WaitForExitAsync(timeout.Token);
        Assert.True(script.ExitCode == 0, $"script exit {script.ExitCode}: {await output} {await errors}");

        Assert.Equal("pass", JsonDocument.Parse(await File.ReadAllTextAsync(report)).RootElement.GetProperty("verdict").GetString());
        string shown = await File.ReadAllTextAsync(terminal);
        Match checking = CheckingLine().Match(shown);
        Assert.True(checking.Success, shown);
        Assert.Contains("\rsovtraj: reading the archive, 0% (0.0 of ", shown, StringComparison.Ordinal);

        // After the last progress line comes a blank one as long as its text, before anything else.
        Match last = ProgressLines().Matches(shown)[^1];
        int length = last.Value.TrimEnd(' ').Length - 1;
        Assert.StartsWith("\r" + new string(' ', length) + "\r", shown[(last.Index + last.Length)..], StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The ATIF sample converted into signed events under a new key, and the coordinate to verify.</summary>
    private async Task<(string Events, string Target, string[] Lines)> ConvertSampleAsync()
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
        return (events, $"39230:{pubKey}:{sid}", lines);
    }

    [GeneratedRegex(@"\rsovtraj: checking \d+ events")]
    private static partial Regex CheckingLine();

    [GeneratedRegex(@"\rsovtraj: [^\r]*?(?=\r|$)")]
    private static partial Regex ProgressLines();

    [GeneratedRegex(@"sovtraj: stats: (?<events>\d+) events in (?<seconds>\d+\.\d{3}) s \(\d+ events/s; fetching or reading with signatures (?<fetch>\d+\.\d{3}) s, checks (?<checks>\d+\.\d{3}) s\); process CPU \d+\.\d\d s on \d+ cores; peak memory (?<peak>\d+) MB; GC \d+/\d+/\d+ collections \(gen 0/1/2\), \d+ ms paused, (?<allocated>\d+) MB allocated$", RegexOptions.Multiline)]
    private static partial Regex StatsLine();
}
