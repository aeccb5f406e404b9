namespace SovereignTrajectories.Worker.Outbox;

/// <summary>The delivery state of one event to one relay, as the outbox holds it (for status tools and audits of the retry policy).</summary>
/// <param name="EventId">The signed event's id.</param>
/// <param name="Kind">The event's kind.</param>
/// <param name="Relay">The relay it is delivered to.</param>
/// <param name="Status">Pending, accepted, given up, or superseded by a newer version.</param>
/// <param name="Attempts">Sends that counted against the retry policy.</param>
/// <param name="LastOutcome">The last answer or failure (e.g. <c>accepted</c>, <c>rate-limited</c>), null before the first send.</param>
public sealed record DeliveryRecord(string EventId, int Kind, string Relay, DeliveryStatus Status, int Attempts, string? LastOutcome);
