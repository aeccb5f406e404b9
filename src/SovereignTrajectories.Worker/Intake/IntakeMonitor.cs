using System.Diagnostics.Metrics;

namespace SovereignTrajectories.Worker.Intake;

/// <summary>
/// Counts what intake took in (System.Diagnostics.Metrics instruments plus totals for <c>/status</c>)
/// and tells listeners when a dropped file settled, so callers can wait on that signal.
/// </summary>
public sealed class IntakeMonitor : IDisposable
{
    /// <summary>The meter name of the intake instruments.</summary>
    public const string MeterName = "SovereignTrajectories.Worker.Intake";

    private readonly Meter _meter;
    private readonly Counter<long> _files;
    private readonly Counter<long> _spans;
    private readonly Counter<long> _traces;
    private readonly Counter<long> _stepCounter;
    private readonly Counter<long> _feedback;
    private long _filesArchived;
    private long _filesFailed;
    private long _liveFollowing;
    private long _liveEnded;
    private long _liveSteps;
    private long _openTraces;
    private long _tracesCommitted;
    private long _spansReceived;
    private long _lateSpans;
    private long _feedbackApplied;
    private long _feedbackRejected;

    public IntakeMonitor(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _files = _meter.CreateCounter<long>("sovtraj.intake.files", "{file}", "Dropped files settled, by spool and outcome");
        _spans = _meter.CreateCounter<long>("sovtraj.intake.otlp.spans", "{span}", "OTLP spans received");
        _traces = _meter.CreateCounter<long>("sovtraj.intake.otlp.traces", "{trace}", "OTLP traces committed as trajectories");
        _stepCounter = _meter.CreateCounter<long>("sovtraj.intake.live.steps", "{step}", "Steps of followed runs committed");
        _feedback = _meter.CreateCounter<long>("sovtraj.intake.feedback", "{feedback}", "Feedback items, by outcome");
        _meter.CreateObservableGauge("sovtraj.intake.otlp.open_traces", () => Interlocked.Read(ref _openTraces), "{trace}", "Traces waiting for their root span");
        _meter.CreateObservableGauge("sovtraj.intake.live.following", () => Interlocked.Read(ref _liveFollowing), "{run}", "Runs being followed");
    }

    /// <summary>Raised after a dropped file was moved to archive/ or failed/.</summary>
    public event Action<SpoolOutcome>? FileSettled;

    /// <summary>Raised after a followed run's opening, appended steps or end were stored.</summary>
    public event Action<SinkSession>? LiveRunStored;

    /// <summary>Raised with the trace id after a received trace was stored as a run.</summary>
    public event Action<string>? TraceStored;

    /// <summary>The totals so far.</summary>
    public IntakeStatus Snapshot() => new(
        Interlocked.Read(ref _filesArchived),
        Interlocked.Read(ref _filesFailed),
        Interlocked.Read(ref _liveFollowing),
        Interlocked.Read(ref _liveEnded),
        Interlocked.Read(ref _liveSteps),
        Interlocked.Read(ref _openTraces),
        Interlocked.Read(ref _tracesCommitted),
        Interlocked.Read(ref _spansReceived),
        Interlocked.Read(ref _lateSpans),
        Interlocked.Read(ref _feedbackApplied),
        Interlocked.Read(ref _feedbackRejected));

    internal void Settled(SpoolOutcome outcome)
    {
        Interlocked.Increment(ref outcome.Succeeded ? ref _filesArchived : ref _filesFailed);
        _files.Add(1, new KeyValuePair<string, object?>("spool", outcome.Spool), new KeyValuePair<string, object?>("outcome", outcome.Succeeded ? "archived" : "failed"));
        FileSettled?.Invoke(outcome);
    }

    internal void LiveStored(SinkSession session) => LiveRunStored?.Invoke(session);

    internal void LiveStarted() => Interlocked.Increment(ref _liveFollowing);

    internal void LiveEnded()
    {
        Interlocked.Decrement(ref _liveFollowing);
        Interlocked.Increment(ref _liveEnded);
    }

    internal void LiveSteps(int count)
    {
        Interlocked.Add(ref _liveSteps, count);
        _stepCounter.Add(count);
    }

    internal void SpansReceived(int count)
    {
        Interlocked.Add(ref _spansReceived, count);
        _spans.Add(count);
    }

    internal void LateSpans(int count) => Interlocked.Add(ref _lateSpans, count);

    internal void OpenTraces(long count) => Interlocked.Exchange(ref _openTraces, count);

    internal void TraceCommitted(string traceId)
    {
        Interlocked.Increment(ref _tracesCommitted);
        _traces.Add(1);
        TraceStored?.Invoke(traceId);
    }

    internal void Feedback(bool applied)
    {
        Interlocked.Increment(ref applied ? ref _feedbackApplied : ref _feedbackRejected);
        _feedback.Add(1, new KeyValuePair<string, object?>("outcome", applied ? "applied" : "rejected"));
    }

    public void Dispose() => _meter.Dispose();
}
