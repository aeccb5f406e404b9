using System.Globalization;
using System.Text.Json;

namespace SovereignTrajectories.Worker.Outbox;

/// <summary>
/// The one JSON shape of an <see cref="OutboxStatus"/>, written by both <c>sovtraj status --json</c>
/// and the worker's <c>GET /status</c> so a script reading one can read the other. Field names are
/// snake_case; times are UTC ISO 8601 to the second (<c>2026-11-21T07:51:29Z</c>) or null.
/// </summary>
public static class OutboxStatusJson
{
    /// <summary>Writes the status's fields into the object <paramref name="w"/> is inside.</summary>
    public static void WriteFields(Utf8JsonWriter w, OutboxStatus status)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(status);
        w.WriteNumber("depth", status.Depth);
        w.WriteNumber("events_awaiting_quorum", status.EventsAwaitingQuorum);
        w.WriteNumber("sessions_pending", status.SessionsPending);
        w.WriteNumber("sessions_published", status.SessionsPublished);
        w.WriteNumber("deliveries_given_up", status.FailedDeliveries);
        w.WriteStartArray("relays");
        foreach (RelayHealth r in status.Relays)
        {
            w.WriteStartObject();
            w.WriteString("relay", r.Relay);
            w.WriteBoolean("healthy", r.Healthy);
            w.WriteNumber("pending", r.Pending);
            w.WriteNumber("accepted", r.Accepted);
            w.WriteNumber("given_up", r.Failed);
            w.WriteNumber("consecutive_failures", r.ConsecutiveFailures);
            WriteOptional(w, "last_outcome", r.LastOutcome);
            WriteOptional(w, "last_error", r.LastError);
            WriteOptional(w, "last_error_at", Time(r.LastErrorAt));
            WriteOptional(w, "last_success_at", Time(r.LastSuccessAt));
            WriteOptional(w, "cooldown_until", Time(r.CooldownUntil));
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>A time as this schema writes it, or null.</summary>
    public static string? Time(DateTimeOffset? t) =>
        t?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }
}
