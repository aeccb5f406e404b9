using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Trajectories.Mapping;

namespace SovereignTrajectories.Worker.Outbox;

/// <summary>
/// What one conversion adds to the outbox, written in one transaction: the session's new mapping
/// state and its signed events in publish order (session versions, steps, the receipt), each to be
/// delivered to every relay in <see cref="Relays"/> until <see cref="Quorum"/> of them accepted it.
/// </summary>
public sealed record OutboxCommit(
    PublishedState State,
    IReadOnlyList<NostrEvent> Events,
    IReadOnlyList<string> Relays,
    int Quorum,
    string? Source = null,
    long? ReceiptCreatedAt = null);
