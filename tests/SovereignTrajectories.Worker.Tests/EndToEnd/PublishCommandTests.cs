using System.Diagnostics;
using System.Text.Json;
using SovereignTrajectories.Nostr.Nip19;
using SovereignTrajectories.Testing;
using SovereignTrajectories.Trajectories.Replay;

namespace SovereignTrajectories.Worker.Tests.EndToEnd;

/// <summary><c>sovtraj publish</c> and <c>sovtraj status</c> as a user runs them, against a real relay.</summary>
public sealed class PublishCommandTests
{
    [Fact]
    public async Task A_bad_file_is_named_on_stderr_while_the_good_ones_are_published_and_status_reads_the_outbox()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using LocalRelay relay = await LocalRelay.StartAsync(ct: cts.Token);
        string dir = TestWorker.NewDataDirectory();
        string good = Path.Combine(dir, "good.REPLAY.jsonl");
        await File.WriteAllTextAsync(good, ReplayWriter.ToJsonl(TestRuns.Run("cli-good", 7)), cts.Token);
        string bad = Path.Combine(dir, "bad.jsonl");
        await File.WriteAllTextAsync(bad, "{\"type\":\"ReplayHeader\",\"replay_version\":1}\nnot json at all\n", cts.Token);
        string outbox = Path.Combine(dir, "ob", "outbox.db");

        (int code, string stdout, string stderr) = await RunAsync(
            ["publish", "--key", Path.Combine(dir, "agent.key"), "--relay", relay.Url.ToString(), "--outbox", outbox, bad, good], dir, cts.Token);

        Assert.Equal(1, code);
        Assert.Contains("bad.jsonl", stderr, StringComparison.Ordinal);
        string naddr = Assert.Single(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var entity = Assert.IsType<NAddr>(Nip19Codec.Decode(naddr));
        Assert.Equal("cli-good", entity.Identifier);
        Assert.Equal(39230, entity.Kind);

        (int statusCode, string json, string statusErr) = await RunAsync(["status", "--json", "--outbox", outbox], dir, cts.Token);
        Assert.True(statusCode == 0, statusErr);
        using JsonDocument doc = JsonDocument.Parse(json);
        Assert.Equal(0, doc.RootElement.GetProperty("depth").GetInt64());
        Assert.Equal(1, doc.RootElement.GetProperty("sessions_published").GetInt64());
        JsonElement health = Assert.Single(doc.RootElement.GetProperty("relays").EnumerateArray());
        Assert.True(health.GetProperty("healthy").GetBoolean());
        Assert.Equal(10, health.GetProperty("accepted").GetInt64()); // opening + 7 steps + final + receipt
    }

    [Fact]
    public async Task Publishing_without_a_key_refuses_with_exit_2_and_says_how_to_give_one()
    {
        string dir = TestWorker.NewDataDirectory();
        string good = Path.Combine(dir, "good.REPLAY.jsonl");
        await File.WriteAllTextAsync(good, ReplayWriter.ToJsonl(TestRuns.Run("cli-nokey", 3)));

        (int code, string stdout, string stderr) = await RunAsync(["publish", "--relay", "ws://127.0.0.1:9", good], dir, CancellationToken.None);

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains("SOVTRAJ_SECRET_KEY", stderr, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string[] args, string dir, CancellationToken ct)
    {
        using Process p = SovtrajCli.Start(args, dir);
        p.StandardInput.Close();
        Task<string> stdout = p.StandardOutput.ReadToEndAsync(ct);
        Task<string> stderr = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        return (p.ExitCode, await stdout, await stderr);
    }
}
