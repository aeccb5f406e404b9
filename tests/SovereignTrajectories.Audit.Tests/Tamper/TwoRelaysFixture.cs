using SovereignTrajectories.Audit.Fetching;
using SovereignTrajectories.Audit.Verification;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Relays;
using SovereignTrajectories.Relays.Configuration;
using SovereignTrajectories.Relays.Publishing;
using SovereignTrajectories.Testing;

namespace SovereignTrajectories.Audit.Tests.Tamper;

/// <summary>Two real local relays (the second one for cheats that only show across relays, such as equivocation).</summary>
public sealed class TwoRelaysFixture : IAsyncLifetime
{
    private LocalRelay? _first;
    private LocalRelay? _second;

    public Uri First => (_first ?? throw new InvalidOperationException("not started")).Url;

    public Uri Second => (_second ?? throw new InvalidOperationException("not started")).Url;

    public async Task InitializeAsync()
    {
        _first = await LocalRelay.StartAsync();
        _second = await LocalRelay.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_first is not null)
        {
            await _first.DisposeAsync();
        }

        if (_second is not null)
        {
            await _second.DisposeAsync();
        }
    }

    /// <summary>Publishes <paramref name="events"/> in order and asserts the relay accepted each one.</summary>
    public static async Task PublishAsync(Uri relay, IEnumerable<NostrEvent> events)
    {
        await using var pool = new RelayPool(RelayPoolConfiguration.FromUrls([relay.ToString()]));
        Assert.Equal(1, await pool.ConnectAsync(CancellationToken.None));
        foreach (NostrEvent e in events)
        {
            PublishResult result = await pool.PublishAsync(e, CancellationToken.None);
            Assert.True(result.QuorumReached, $"relay refused {e.Id}: {string.Join("; ", result.Relays)}");
        }
    }

    /// <summary>Audits <paramref name="target"/> against <paramref name="relays"/>, as <c>sovtraj verify</c> does.</summary>
    public static async Task<AuditReport> AuditAsync(string target, params Uri[] relays)
    {
        await using var source = new RelayEventSource(RelayPoolConfiguration.FromUrls(relays.Select(r => r.ToString())));
        var auditor = new TrajectoryAuditor(source);
        return await auditor.AuditAsync(AuditTargetParser.Parse(target), CancellationToken.None);
    }
}
