using Xunit;

namespace SovereignTrajectories.Testing;

/// <summary>
/// One <see cref="LocalRelay"/> shared by a test class (<c>IClassFixture&lt;LocalRelayFixture&gt;</c>)
/// or a collection (<c>ICollectionFixture</c>). Not sealed: derive and override
/// <see cref="Options"/> for a relay with other settings (e.g. NIP-42 auth).
/// </summary>
public class LocalRelayFixture : IAsyncLifetime
{
    private LocalRelay? _relay;

    /// <summary>The running relay; available once xunit has initialised the fixture.</summary>
    public LocalRelay Relay => _relay ?? throw new InvalidOperationException("the local relay fixture has not been initialised");

    /// <summary>The relay's WebSocket address.</summary>
    public Uri Url => Relay.Url;

    /// <summary>How the relay is started.</summary>
    protected virtual LocalRelayOptions Options => new();

    public async Task InitializeAsync() => _relay = await LocalRelay.StartAsync(Options).ConfigureAwait(false);

    public async Task DisposeAsync()
    {
        if (_relay is not null)
        {
            await _relay.DisposeAsync().ConfigureAwait(false);
            _relay = null;
        }
    }
}
