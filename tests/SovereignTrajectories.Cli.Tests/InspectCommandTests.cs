using System.CommandLine;
using System.Text.Json;
using SovereignTrajectories.Cli.Commands;
using SovereignTrajectories.Testing;

namespace SovereignTrajectories.Cli.Tests;

/// <summary><c>sovtraj inspect</c>, run in process on the samples with its output captured.</summary>
public sealed class InspectCommandTests
{
    internal static async Task<(int Exit, string Out, string Err)> RunAsync(Command command, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        ParseResult parse = command.Parse(args);
        int exit = await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    private static string Sample(params string[] parts) => Path.Combine([RepoPaths.SamplesDir, .. parts]);

    [Fact]
    public async Task Shows_turns_steps_tools_verdict_and_usage_as_plain_text_when_redirected()
    {
        (int exit, string output, _) = await RunAsync(InspectCommand.Create(), Sample("claude", "session.jsonl"));
        Assert.Equal(0, exit);
        Assert.Contains("format: claude", output, StringComparison.Ordinal);
        Assert.Contains("turns: 2", output, StringComparison.Ordinal);
        Assert.Contains("tools: Bash 2, Edit 1, Read 1", output, StringComparison.Ordinal);
        Assert.Contains("verification: passed (2 runs, 1 failed; the last run of each kind counts)", output, StringComparison.Ordinal);
        Assert.Contains("last test: passed (exit 0, 4 passed, 0 failed, 0 skipped)", output, StringComparison.Ordinal);
        Assert.Contains("usage: tokens in ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", output, StringComparison.Ordinal); // no ANSI codes when not a terminal
    }

    [Fact]
    public async Task Json_form_carries_the_same_summary()
    {
        (int exit, string output, _) = await RunAsync(InspectCommand.Create(), Sample("otlp", "trace.json"), "--json");
        Assert.Equal(0, exit);
        using JsonDocument doc = JsonDocument.Parse(output);
        JsonElement t = doc.RootElement.GetProperty("trajectories")[0];
        Assert.Equal("otlp", doc.RootElement.GetProperty("format").GetString());
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", t.GetProperty("session_id").GetString());
        Assert.True(t.GetProperty("complete").GetBoolean());
        Assert.True(t.GetProperty("verification").GetProperty("passed").GetBoolean());
        Assert.Equal(2, t.GetProperty("verification").GetProperty("runs").GetInt32());
        Assert.Equal(4, t.GetProperty("verification").GetProperty("last").GetProperty("test").GetProperty("tests_passed").GetInt32());
        Assert.Equal(2, t.GetProperty("tools").GetProperty("bash").GetInt32());
        Assert.Equal("accept", t.GetProperty("reward").GetProperty("signal").GetString());
        Assert.True(t.GetProperty("usage").GetProperty("tokens_in").GetInt64() > 0);
    }

    [Fact]
    public async Task Forced_format_reads_a_file_as_that_format()
    {
        (int exit, string output, _) = await RunAsync(InspectCommand.Create(), Sample("atif", "trajectory.json"), "--format", "atif", "--json");
        Assert.Equal(0, exit);
        Assert.Contains("\"format\": \"atif\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreadable_input_exits_2()
    {
        string path = Path.Combine(Path.GetTempPath(), $"sovtraj-inspect-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, "{\"kind\":1}");
        try
        {
            (int exit, string output, _) = await RunAsync(InspectCommand.Create(), path);
            Assert.Equal(2, exit);
            Assert.Equal(string.Empty, output);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Unknown_format_name_exits_2()
    {
        (int exit, _, _) = await RunAsync(InspectCommand.Create(), Sample("atif", "trajectory.json"), "--format", "yaml");
        Assert.Equal(2, exit);
    }
}
