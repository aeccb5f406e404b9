namespace SovereignTrajectories.Trajectories.Ingest.Otlp;

/// <summary>The parts of one OTLP span the GenAI mapping uses; the rest of the span is dropped while streaming.</summary>
internal sealed record OtlpSpan(
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Name,
    DateTimeOffset Start,
    DateTimeOffset? End,
    bool IsError,
    string? StatusMessage,
    IReadOnlyDictionary<string, object> Attributes,
    IReadOnlyList<OtlpEvent> Events,
    string? ServiceName,
    string? ServiceVersion,
    long Line)
{
    public string? Str(string key) => Attributes.TryGetValue(key, out object? v) ? v as string ?? Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) : null;

    public long? Int(string key) => Attributes.TryGetValue(key, out object? v) ? v switch
    {
        long l => l,
        double d when d is >= long.MinValue and <= long.MaxValue => (long)d,
        string s when long.TryParse(s, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out long p) => p,
        _ => null,
    } : null;

    public string? Operation => Str("gen_ai.operation.name");
}

/// <summary>A span event (e.g. <c>gen_ai.evaluation.result</c>) with its attributes.</summary>
internal sealed record OtlpEvent(string Name, DateTimeOffset Time, IReadOnlyDictionary<string, object> Attributes)
{
    public string? Str(string key) => Attributes.TryGetValue(key, out object? v) ? v as string ?? Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) : null;

    public double? Double(string key) => Attributes.TryGetValue(key, out object? v) ? v switch
    {
        double d => d,
        long l => l,
        string s when double.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double p) && double.IsFinite(p) => p,
        _ => null,
    } : null;
}
