using System.Text.Json;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Testing;

namespace SovereignTrajectories.Nostr.Tests.Integration;

/// <summary>The local relay fixture itself: restarts keep data, auth mode works, processes do not leak.</summary>
public sealed class LocalRelayLifecycleTests
{
    [Fact]
    public async Task Stored_events_survive_a_kill_and_restart_on_the_same_port()
    {
        using SecretKey key = SecretKey.Generate();
        NostrEvent e = EventSigner.Sign(new UnsignedEvent(1_700_000_000, 1, TagList.Empty, "survives"), key);
        LocalRelay first = await LocalRelay.StartAsync();
        LocalRelay? second = null;
        try
        {
            await using (var client = await RawRelayClient.ConnectAsync(first.Url))
            {
                (bool accepted, string message) = await client.PublishAsync(e);
                Assert.True(accepted, message);
            }

            await first.KillAsync();
            Assert.False(first.IsRunning);
            second = await first.RestartAsync();

            Assert.Equal(first.Port, second.Port);
            Assert.NotEqual(first.ProcessId, second.ProcessId);
            await using var again = await RawRelayClient.ConnectAsync(second.Url);
            IReadOnlyList<string> found = await again.QueryAsync("after-restart", $"{{\"ids\":[\"{e.Id}\"]}}");
            Assert.Equal(e, EventParser.Parse(Assert.Single(found)));
        }
        finally
        {
            if (second is not null)
            {
                await second.DisposeAsync();
            }

            await first.DisposeAsync();
        }
    }

    [Fact]
    public async Task Disposing_stops_the_process_and_deletes_its_temporary_database()
    {
        LocalRelay relay = await LocalRelay.StartAsync();
        int pid = relay.ProcessId;
        string dbDir = Path.GetDirectoryName(relay.DatabasePath)!;
        Assert.True(Directory.Exists(dbDir));

        await relay.DisposeAsync();

        Assert.False(ProcessIsAlive(pid), $"relay process {pid} still runs after dispose");
        Assert.False(Directory.Exists(dbDir), $"temporary database folder {dbDir} was not deleted");
    }

    [Fact]
    public async Task Auth_required_relay_refuses_events_until_the_client_authenticates()
    {
        await using LocalRelay relay = await LocalRelay.StartAsync(new LocalRelayOptions { RequireAuth = true });
        using SecretKey key = SecretKey.Generate();
        await using var client = await RawRelayClient.ConnectAsync(relay.Url);
        JsonElement challengeFrame = await client.ReceiveUntilAsync("AUTH");
        string challenge = challengeFrame[1].GetString()!;

        NostrEvent note = EventSigner.Sign(new UnsignedEvent(1_700_000_000, 1, TagList.Empty, "needs auth"), key);
        (bool acceptedBefore, string messageBefore) = await client.PublishAsync(note);
        Assert.False(acceptedBefore);
        Assert.StartsWith("auth-required:", messageBefore, StringComparison.Ordinal);

        long now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        NostrEvent auth = EventSigner.Sign(
            new UnsignedEvent(now, 22242, [new Tag("relay", relay.Url.ToString()), new Tag("challenge", challenge)], string.Empty),
            key);
        await client.SendAsync("[\"AUTH\"," + CanonicalJson.Serialize(auth) + "]");
        JsonElement authOk = await client.ReceiveUntilAsync("OK", f => f[1].GetString() == auth.Id);
        Assert.True(authOk[2].GetBoolean(), authOk[3].GetString());

        (bool acceptedAfter, string messageAfter) = await client.PublishAsync(note);
        Assert.True(acceptedAfter, messageAfter);
    }

    [Fact]
    public async Task Missing_ready_line_reports_the_relay_stderr()
    {
        // A port that is already taken makes relay.mjs exit before it prints the ready line.
        await using LocalRelay holder = await LocalRelay.StartAsync();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => LocalRelay.StartAsync(new LocalRelayOptions { Port = holder.Port }));

        Assert.Contains("exited", ex.Message, StringComparison.Ordinal);
        Assert.Contains("cannot listen", ex.Message, StringComparison.Ordinal);
    }

    private static bool ProcessIsAlive(int pid)
    {
        try
        {
            using System.Diagnostics.Process p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
