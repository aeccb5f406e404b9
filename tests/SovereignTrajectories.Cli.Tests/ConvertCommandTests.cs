using System.Runtime.Versioning;
using System.Text.Json;
using SovereignTrajectories.Cli.Commands;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Testing;

namespace SovereignTrajectories.Cli.Tests;

/// <summary><c>sovtraj convert</c>: the signed events publishing would send, checked by the strict parser and verifier.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class ConvertCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sovtraj-convert-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string NewKey(out string pubKey)
    {
        string path = Path.Combine(_dir, "agent.nsec");
        using SecretKey key = SecretKey.Generate();
        SecretKey.WriteNewKeyFile(path, key);
        pubKey = key.PublicKey.Hex;
        return path;
    }

    [Fact]
    public async Task Writes_opening_session_steps_and_final_session_as_signed_json_lines()
    {
        string key = NewKey(out string pubKey);
        string sample = Path.Combine(RepoPaths.SamplesDir, "codex", Directory.GetFiles(Path.Combine(RepoPaths.SamplesDir, "codex"))[0]);
        (int exit, string output, _) = await InspectCommandTests.RunAsync(ConvertCommand.Create(), sample, "--key", key);
        Assert.Equal(0, exit);
        NostrEvent[] events = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(EventParser.Parse).ToArray();
        Assert.All(events, e => Assert.True(EventVerifier.Verify(e).IsValid));
        Assert.All(events, e => Assert.Equal(pubKey, e.PubKey));
        Assert.Equal(39230, events[0].Kind);
        Assert.Equal(39230, events[^1].Kind);
        NostrEvent[] steps = events.Where(e => e.Kind == 39231).ToArray();
        Assert.Equal(12, steps.Length);
        using JsonDocument final = JsonDocument.Parse(events[^1].Content);
        Assert.Equal(12, final.RootElement.GetProperty("total_events").GetInt32());
        Assert.True(final.RootElement.GetProperty("verification").GetProperty("passed").GetBoolean());
    }

    [Fact]
    public async Task Out_option_writes_the_events_to_a_file()
    {
        string key = NewKey(out _);
        string target = Path.Combine(_dir, "events.jsonl");
        (int exit, string output, _) = await InspectCommandTests.RunAsync(
            ConvertCommand.Create(), Path.Combine(RepoPaths.SamplesDir, "atif", "trajectory.json"), "--key", key, "--out", target);
        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, output);
        string[] lines = File.ReadAllLines(target);
        Assert.True(lines.Length > 10);
        Assert.All(lines, l => Assert.True(EventVerifier.Verify(EventParser.Parse(l)).IsValid));
    }

    [Fact]
    public async Task Missing_key_exits_2_and_writes_no_events()
    {
        (int exit, string output, _) = await InspectCommandTests.RunAsync(
            ConvertCommand.Create(), Path.Combine(RepoPaths.SamplesDir, "atif", "trajectory.json"), "--key", Path.Combine(_dir, "absent.nsec"));
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
    }
}
