namespace SovereignTrajectories.Worker.Outbox;

/// <summary>One delivery that is due: the stored, signed event (sent byte for byte as committed) and how often it was tried.</summary>
public sealed record PendingDelivery(long EventNo, string EventId, string Coordinate, string EventJson, int Attempts);
