using System.Text.Json;
using SovereignTrajectories.Testing;

namespace SovereignTrajectories.Nostr.Tests.CrossCheck;

/// <summary>Bad input to the peer tooling fails loudly, naming what was wrong.</summary>
public sealed class PeerScriptErrorTests
{
    [Fact]
    public async Task Crosscheck_peer_names_the_line_and_problem_of_a_bad_command()
    {
        IReadOnlyList<string> lines = await NodePeer.RunLinesAsync(
            "crosscheck.mjs",
            stdinLines: ["{\"op\":\"pubkey\",\"sk\":\"0000000000000000000000000000000000000000000000000000000000000003\"}", "{\"op\":\"frobnicate\"}", "not json"]);

        Assert.Equal(3, lines.Count);
        using JsonDocument first = JsonDocument.Parse(lines[0]);
        using JsonDocument second = JsonDocument.Parse(lines[1]);
        using JsonDocument third = JsonDocument.Parse(lines[2]);
        Assert.True(first.RootElement.GetProperty("ok").GetBoolean());
        JsonElement unknown = second.RootElement;
        Assert.False(unknown.GetProperty("ok").GetBoolean());
        Assert.Contains("line 2", unknown.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("frobnicate", unknown.GetProperty("error").GetString(), StringComparison.Ordinal);
        JsonElement notJson = third.RootElement;
        Assert.False(notJson.GetProperty("ok").GetBoolean());
        Assert.Contains("line 3", notJson.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Crosscheck_peer_never_echoes_a_secret_key_it_rejects()
    {
        const string badKey = "zz00000000000000000000000000000000000000000000000000000000000003";
        IReadOnlyList<string> lines = await NodePeer.RunLinesAsync("crosscheck.mjs", stdinLines: [$"{{\"op\":\"pubkey\",\"sk\":\"{badKey}\"}}"]);

        string answer = Assert.Single(lines);
        Assert.Contains("sk must be 64 lower-case hex", answer, StringComparison.Ordinal);
        Assert.DoesNotContain(badKey, answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_peer_script_is_named_in_the_error()
    {
        var ex = await Assert.ThrowsAsync<FileNotFoundException>(() => NodePeer.RunAsync("no-such-script.mjs"));

        Assert.Contains("no-such-script.mjs", ex.Message, StringComparison.Ordinal);
    }
}
