using System.Diagnostics.Metrics;

namespace SovereignTrajectories.Worker.Delivery;

/// <summary>The worker's counters (System.Diagnostics.Metrics, meter <see cref="MeterName"/>).</summary>
public sealed class WorkerMetrics : IDisposable
{
    /// <summary>The meter name to listen to (dotnet-counters, OpenTelemetry).</summary>
    public const string MeterName = "SovereignTrajectories.Worker";

    private readonly Meter _meter;
    private readonly Counter<long> _committed;
    private readonly Counter<long> _attempts;
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _published;

    public WorkerMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _committed = _meter.CreateCounter<long>("sovtraj.outbox.events_committed", "{event}", "Signed events committed to the outbox");
        _attempts = _meter.CreateCounter<long>("sovtraj.delivery.attempts", "{attempt}", "Sends to a relay, by relay and outcome");
        _accepted = _meter.CreateCounter<long>("sovtraj.delivery.accepted", "{event}", "Deliveries a relay accepted, by relay");
        _failed = _meter.CreateCounter<long>("sovtraj.delivery.given_up", "{event}", "Deliveries given up, by relay");
        _published = _meter.CreateCounter<long>("sovtraj.sessions.published", "{session}", "Sessions whose every event reached the quorum");
    }

    internal void Committed(int events) => _committed.Add(events);

    internal void Attempt(string relay, string outcome) =>
        _attempts.Add(1, new KeyValuePair<string, object?>("relay", relay), new KeyValuePair<string, object?>("outcome", outcome));

    internal void Accepted(string relay) => _accepted.Add(1, new KeyValuePair<string, object?>("relay", relay));

    internal void GaveUp(string relay) => _failed.Add(1, new KeyValuePair<string, object?>("relay", relay));

    internal void Published(int sessions) => _published.Add(sessions);

    public void Dispose() => _meter.Dispose();
}
