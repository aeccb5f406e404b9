using Microsoft.Extensions.Logging;
using SovereignTrajectories.Trajectories.Ingest;
using SovereignTrajectories.Trajectories.Model;
using SovereignTrajectories.Worker.Intake;
using static SovereignTrajectories.Worker.Otlp.OtlpRequestSplitter;

namespace SovereignTrajectories.Worker.Otlp;

/// <summary>
/// Gathers received spans by trace until the trace ends: when its root span arrives (exporters
/// send a span only once it ended, and the root ends last) and the grace period for spans still
/// in flight has passed, or when no span arrived for the idle timeout. The ended trace is read by the OTLP adapter into one trajectory and stored. Spans sent
/// again (exporter retries) are taken once; spans of a trace already stored are refused as late.
/// The exporter is answered 200 for buffered spans before they are stored as a run (with a zero
/// grace period, the request carrying the root is answered only once the run is stored); on shutdown every open trace is stored as it is. With an <see cref="OtlpSpanJournal"/>
/// the buffered spans are also on disk before the exporter is answered, and
/// <see cref="RestoreAsync"/> takes them back after a crash.
/// </summary>
public sealed partial class OtlpTraceAssembler
{
    private const int RememberedEndedTraces = 10_000;

    private readonly TrajectoryCommitter _committer;
    private readonly IntakeMonitor _monitor;
    private readonly OtlpOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<OtlpTraceAssembler> _logger;
    private readonly OtlpSpanJournal? _journal;
    private readonly TrajectoryIngest _ingest = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, OpenTrace> _open = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ended = new(StringComparer.Ordinal);
    private readonly Queue<string> _endedOrder = new();

    public OtlpTraceAssembler(TrajectoryCommitter committer, IntakeMonitor monitor, OtlpOptions options, TimeProvider time, ILogger<OtlpTraceAssembler> logger, OtlpSpanJournal? journal = null)
    {
        _journal = journal;
        _committer = committer;
        _monitor = monitor;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>Traces waiting for their root span or the idle timeout.</summary>
    public int OpenTraceCount
    {
        get
        {
            lock (_open)
            {
                return _open.Count;
            }
        }
    }

    /// <summary>
    /// Takes one OTLP/JSON export request. Returns once every trace it ended is stored.
    /// </summary>
    /// <exception cref="OtlpRequestException">400 for a request the OTLP adapter cannot read (the
    /// reason names the span and field), 429 when too many traces are open, 503 when an ended
    /// trace could not be stored (the exporter retries; the spans are kept).</exception>
    public async Task<OtlpAcceptResult> AcceptAsync(ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        Dictionary<string, TracePart> parts;
        try
        {
            parts = Split(json.Span);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new OtlpRequestException(400, $"request body: not an OTLP/JSON trace export ({ex.Message})", ex);
        }

        if (parts.Count == 0)
        {
            return new OtlpAcceptResult(0, 0, 0);
        }

        // The adapter's own checks give the precise reason (span, field) for a bad request.
        try
        {
            await _ingest.ReadAsync(new MemoryStream(json.ToArray(), writable: false), "request body", TrajectoryFormat.Otlp, IngestOptions.Default with { TimeProvider = _time }, cancellationToken).ConfigureAwait(false);
        }
        catch (IngestException ex)
        {
            throw new OtlpRequestException(400, ex.Message, ex);
        }

        var toCommit = new List<string>();
        int accepted = 0;
        int late = 0;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            int newTraces = parts.Keys.Count(id => !_open.ContainsKey(id) && !_ended.Contains(id));
            if (_open.Count + newTraces > _options.MaxOpenTraces)
            {
                throw new OtlpRequestException(429, $"{_open.Count} traces are open (limit {_options.MaxOpenTraces}); retry later");
            }

            DateTimeOffset now = _time.GetUtcNow();
            foreach ((string traceId, TracePart part) in parts)
            {
                if (_ended.Contains(traceId))
                {
                    int count = part.Spans.Count();
                    late += count;
                    LogLateSpans(count, traceId);
                    continue;
                }

                OpenTrace trace = Open(traceId);
                List<ResourceText> fresh = trace.Fresh(part);
                if (_journal is not null && fresh.Count > 0)
                {
                    await Journal(trace.TraceId, fresh, now, cancellationToken).ConfigureAwait(false);
                }

                accepted += trace.Add(fresh, now);
                if (trace.RootSeen && _options.RootGracePeriod <= TimeSpan.Zero)
                {
                    toCommit.Add(traceId);
                }
            }

            _monitor.SpansReceived(accepted);
            _monitor.LateSpans(late);
            _monitor.OpenTraces(_open.Count);
            int committed = 0;
            foreach (string traceId in toCommit)
            {
                await CommitAsync(_open[traceId], idle: false, cancellationToken).ConfigureAwait(false);
                committed++;
            }

            return new OtlpAcceptResult(accepted, late, committed);
        }
        finally
        {
            _monitor.OpenTraces(OpenTraceCount);
            _gate.Release();
        }
    }

    /// <summary>
    /// Takes back the spans an earlier run of the worker answered for but did not store (it crashed
    /// or could not store them at shutdown): they wait again for their root span or the idle timeout,
    /// timed from when they first arrived. Returns how many traces are open after it.
    /// </summary>
    public async Task<int> RestoreAsync(CancellationToken cancellationToken)
    {
        if (_journal is null)
        {
            return OpenTraceCount;
        }

        (IReadOnlyList<(DateTimeOffset At, byte[] Request)> entries, IReadOnlyList<string> problems) = await _journal.ReadAllAsync(cancellationToken).ConfigureAwait(false);
        foreach (string problem in problems)
        {
            LogJournalProblem(problem);
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            int spans = 0;
            foreach ((DateTimeOffset at, byte[] request) in entries)
            {
                foreach ((string traceId, TracePart part) in Split(request))
                {
                    OpenTrace trace = Open(traceId);
                    spans += trace.Add(trace.Fresh(part), at);
                }
            }

            if (entries.Count > 0)
            {
                LogRestored(spans, OpenTraceCount, _journal.Directory);
            }

            return OpenTraceCount;
        }
        finally
        {
            _monitor.OpenTraces(OpenTraceCount);
            _gate.Release();
        }
    }

    /// <summary>
    /// Stores traces idle for the timeout (and ended traces whose storing failed before); with
    /// <paramref name="all"/> (shutdown) every open trace, ended at its last span. Returns how many.
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken, bool all = false)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            DateTimeOffset now = _time.GetUtcNow();
            List<OpenTrace> due = _open.Values
                .Where(t => all
                    || (t.RootSeen && now - t.RootSeenAt >= _options.RootGracePeriod)
                    || now - t.LastSpanAt >= _options.TraceIdleTimeout)
                .ToList();
            int committed = 0;
            foreach (OpenTrace trace in due)
            {
                try
                {
                    await CommitAsync(trace, idle: !trace.RootSeen, cancellationToken).ConfigureAwait(false);
                    committed++;
                }
                catch (OtlpRequestException ex)
                {
                    LogSweepFailed(trace.TraceId, ex.Message);
                }
            }

            return committed;
        }
        finally
        {
            _monitor.OpenTraces(OpenTraceCount);
            _gate.Release();
        }
    }

    private async Task CommitAsync(OpenTrace trace, bool idle, CancellationToken cancellationToken)
    {
        Trajectory trajectory;
        try
        {
            byte[] document = Compose(trace.Resources);
            IngestResult result = await _ingest.ReadAsync(new MemoryStream(document, writable: false), "otlp trace " + trace.TraceId, TrajectoryFormat.Otlp, IngestOptions.Default with { TimeProvider = _time }, cancellationToken).ConfigureAwait(false);
            trajectory = result.Single();
        }
        catch (IngestException ex)
        {
            // The spans were each readable but the trace is not a run: nothing a retry can change.
            Forget(trace.TraceId);
            throw new OtlpRequestException(400, $"trace {trace.TraceId} cannot be read as an agent run: {ex.Message}", ex);
        }

        if (!trajectory.Session.IsComplete)
        {
            trajectory = LiveEnd.EndAtLastStep(trajectory, trace.LastSpanAt);
        }

        try
        {
            await _committer.StoreAsync(trajectory, "otlp:" + trace.TraceId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (SpoolErrors.IsContentError(ex))
        {
            Forget(trace.TraceId);
            throw new OtlpRequestException(400, $"trace {trace.TraceId} cannot be published: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new OtlpRequestException(503, $"trace {trace.TraceId} could not be stored ({ex.Message}); retry", ex);
        }

        Forget(trace.TraceId);
        _monitor.TraceCommitted(trace.TraceId);
        LogCommitted(trace.TraceId, trajectory.Steps.Count, idle ? "idle timeout" : "root span");
    }

    private OpenTrace Open(string traceId)
    {
        lock (_open)
        {
            if (!_open.TryGetValue(traceId, out OpenTrace? trace))
            {
                trace = new OpenTrace(traceId);
                _open[traceId] = trace;
            }

            return trace;
        }
    }

    private async Task Journal(string traceId, List<ResourceText> fresh, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await _journal!.AppendAsync(traceId, fresh, now, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not answered 200: the exporter sends the spans again, and nothing was taken in memory either.
            DropIfEmpty(traceId);
            throw new OtlpRequestException(503, $"spans of trace {traceId} could not be recorded ({ex.Message}); retry", ex);
        }
    }

    private void DropIfEmpty(string traceId)
    {
        lock (_open)
        {
            if (_open.TryGetValue(traceId, out OpenTrace? trace) && trace.Resources.Count == 0)
            {
                _open.Remove(traceId);
            }
        }
    }

    private void Forget(string traceId)
    {
        lock (_open)
        {
            _open.Remove(traceId);
        }

        _journal?.Remove(traceId);

        if (_ended.Add(traceId))
        {
            _endedOrder.Enqueue(traceId);
            if (_endedOrder.Count > RememberedEndedTraces)
            {
                _ended.Remove(_endedOrder.Dequeue());
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "otlp: trace {TraceId} stored as a run of {Steps} steps (ended by {Reason})")]
    private partial void LogCommitted(string traceId, int steps, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "otlp: {Count} spans of trace {TraceId} arrived after it was stored; refused")]
    private partial void LogLateSpans(int count, string traceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "otlp: took back {Spans} spans of {Traces} open traces from {Directory} (received before a restart, not stored yet)")]
    private partial void LogRestored(int spans, int traces, string directory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "otlp: {Problem}")]
    private partial void LogJournalProblem(string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "otlp: trace {TraceId} not stored yet: {Reason}")]
    private partial void LogSweepFailed(string traceId, string reason);

    private sealed class OpenTrace(string traceId)
    {
        private readonly HashSet<string> _spanIds = new(StringComparer.Ordinal);

        public string TraceId { get; } = traceId;

        public List<ResourceText> Resources { get; } = [];

        public bool RootSeen { get; private set; }

        public DateTimeOffset RootSeenAt { get; private set; }

        public DateTimeOffset LastSpanAt { get; private set; }

        /// <summary>The part's spans this trace has not taken yet (exporters retry), without taking them.</summary>
        public List<ResourceText> Fresh(TracePart part)
        {
            var seenHere = new HashSet<string>(StringComparer.Ordinal);
            var fresh = new List<ResourceText>();
            foreach (ResourceText resource in part.Resources)
            {
                var scopes = new List<ScopeText>();
                foreach (ScopeText scope in resource.Scopes)
                {
                    var spans = scope.Spans.Where(s => !_spanIds.Contains(s.SpanId) && seenHere.Add(s.SpanId)).ToList();
                    if (spans.Count > 0)
                    {
                        scopes.Add(scope with { Spans = spans });
                    }
                }

                if (scopes.Count > 0)
                {
                    fresh.Add(resource with { Scopes = scopes });
                }
            }

            return fresh;
        }

        /// <summary>Takes spans found by <see cref="Fresh"/>, received at <paramref name="at"/>; returns how many.</summary>
        public int Add(List<ResourceText> fresh, DateTimeOffset at)
        {
            int added = 0;
            foreach (ResourceText resource in fresh)
            {
                foreach (SpanText span in resource.Scopes.SelectMany(s => s.Spans))
                {
                    _spanIds.Add(span.SpanId);
                    added++;
                    if (!RootSeen && span.IsRoot)
                    {
                        RootSeen = true;
                        RootSeenAt = at;
                    }
                }

                Resources.Add(resource);
            }

            if (added > 0 && at > LastSpanAt)
            {
                LastSpanAt = at;
            }

            return added;
        }
    }
}
