using SovereignTrajectories.Relays.Configuration;

namespace SovereignTrajectories.Relays.Tests.Support;

/// <summary>Connection settings for tests: fast reconnects, no NIP-11 unless asked.</summary>
internal static class TestPools
{
    public static RelayConnectionOptions Options(Action<RelayConnectionOptions>? configure = null)
    {
        var o = new RelayConnectionOptions
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PublishTimeout = TimeSpan.FromSeconds(30),
            QueryTimeout = TimeSpan.FromSeconds(60),
            ReconnectBaseDelay = TimeSpan.FromMilliseconds(50),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(500),
            MaxConnectAttemptsPerMinute = 60,
            FetchRelayInformation = false,
        };
        configure?.Invoke(o);
        return o;
    }

    public static RelayPoolOptions Pool(IEnumerable<Uri> relays, int quorum = 1, Action<RelayConnectionOptions>? configure = null)
    {
        var options = new RelayPoolOptions { Quorum = quorum, Connection = Options(configure) };
        foreach (Uri u in relays)
        {
            options.Relays.Add(new RelayEndpoint(u));
        }

        return options;
    }

    /// <summary>A cancellation token that ends a hung test (a safety net, not an assertion).</summary>
    public static CancellationToken Guard(int seconds = 60) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;
}
