namespace SovereignTrajectories.Worker.Configuration;

/// <summary>The durable outbox (SQLite, WAL).</summary>
public sealed class OutboxOptions
{
    /// <summary>The database file; empty means <c>outbox.db</c> in the data directory.</summary>
    public string? Path { get; set; }
}
