namespace SovereignTrajectories.Relays.Configuration;

/// <summary>One relay of the pool: its WebSocket URL and whether the pool reads from it, writes to it, or both.</summary>
public sealed record RelayEndpoint(Uri Url, bool Read = true, bool Write = true)
{
    /// <summary>The URL as the pool reports it (no trailing slash on an empty path).</summary>
    public string Name => RelayUrl.Normalise(Url);
}
