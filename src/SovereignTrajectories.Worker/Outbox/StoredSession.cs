using SovereignTrajectories.Trajectories.Mapping;

namespace SovereignTrajectories.Worker.Outbox;

/// <summary>A session as the outbox holds it: the mapping state to append from and how far delivery got.</summary>
public sealed record StoredSession(
    PublishedState State,
    string LatestSessionId,
    bool Ended,
    string? Source,
    DateTimeOffset CommittedAt,
    DateTimeOffset? PublishedAt,
    long? ReceiptCreatedAt)
{
    /// <summary><c>39230:&lt;pubkey&gt;:&lt;sid&gt;</c>.</summary>
    public string Coordinate => State.Coordinate;

    /// <summary>True when every current event of the session reached the quorum.</summary>
    public bool IsPublished => PublishedAt is not null;
}
