namespace SovereignTrajectories.Worker.Otlp;

/// <summary>What became of one export request: spans taken, spans refused because their trace had already ended, traces stored.</summary>
public sealed record OtlpAcceptResult(int SpansAccepted, int LateSpansRejected, int TracesCommitted);
