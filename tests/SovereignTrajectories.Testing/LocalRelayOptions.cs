namespace SovereignTrajectories.Testing;

/// <summary>
/// How to start a <see cref="LocalRelay"/>. Each value maps to an environment variable of
/// <c>src/local-relay/relay.mjs</c> (see its README); null leaves the relay's default.
/// </summary>
public sealed record LocalRelayOptions
{
    /// <summary>TCP port (<c>RELAY_PORT</c>); null lets the OS choose.</summary>
    public int? Port { get; init; }

    /// <summary>
    /// SQLite file (<c>RELAY_DB</c>). Null: a file in a new temp folder owned by the relay
    /// object and deleted when it is disposed. A given path is never deleted.
    /// </summary>
    public string? DatabasePath { get; init; }

    /// <summary>Require NIP-42 AUTH before EVENT and REQ (<c>RELAY_AUTH=1</c>).</summary>
    public bool RequireAuth { get; init; }

    /// <summary>Longest event content in UTF-16 code units (<c>RELAY_MAX_CONTENT_LENGTH</c>).</summary>
    public int? MaxContentLength { get; init; }

    /// <summary>Longest WebSocket frame in bytes (<c>RELAY_MAX_MESSAGE_LENGTH</c>).</summary>
    public int? MaxMessageLength { get; init; }

    /// <summary>Cap on a filter's <c>limit</c> (<c>RELAY_MAX_LIMIT</c>).</summary>
    public int? MaxLimit { get; init; }

    /// <summary>Further variables passed to the relay process, e.g. <c>RELAY_CREATED_AT_UPPER</c>.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>How long to wait for the ready line before giving up.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The Node executable to run.</summary>
    public string NodeExecutable { get; init; } = "node";
}
