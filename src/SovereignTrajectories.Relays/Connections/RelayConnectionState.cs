namespace SovereignTrajectories.Relays.Connections;

/// <summary>Where a relay connection is in its life.</summary>
public enum RelayConnectionState
{
    /// <summary>Not started yet.</summary>
    Idle,

    /// <summary>Opening the WebSocket.</summary>
    Connecting,

    /// <summary>Open: publishes and subscriptions go out.</summary>
    Connected,

    /// <summary>Lost or failed; waiting out the backoff before trying again.</summary>
    Waiting,

    /// <summary>Disposed or gave up (reconnect off); nothing more will happen.</summary>
    Closed,
}
