namespace SovereignTrajectories.Worker.Otlp;

/// <summary>
/// The parts of opentelemetry-proto (collector/trace/v1, trace/v1, common/v1, resource/v1) the
/// worker maps, as <see cref="ProtoJsonMessage"/> tables: field numbers and JSON names from the
/// .proto files, in the protobuf JSON mapping (camelCase, hex ids, 64-bit integers as strings).
/// Span links and dropped-count fields are not listed, so they are skipped like unknown fields.
/// Messages refer to each other through functions (AnyValue contains itself); the functions run only
/// after every property here is set, hence the null-forgiving reads.
/// </summary>
internal static class OtlpTraceSchema
{
    public static ProtoJsonMessage ExportTraceServiceRequest { get; } = new("ExportTraceServiceRequest",
    [
        new(1, "resourceSpans", ProtoJsonKind.Message, Repeated: true, Message: () => ResourceSpans!),
    ]);

    public static ProtoJsonMessage ResourceSpans { get; } = new("ResourceSpans",
    [
        new(1, "resource", ProtoJsonKind.Message, Message: () => Resource!),
        new(2, "scopeSpans", ProtoJsonKind.Message, Repeated: true, Message: () => ScopeSpans!),
        new(3, "schemaUrl", ProtoJsonKind.String),
    ]);

    public static ProtoJsonMessage Resource { get; } = new("Resource",
    [
        new(1, "attributes", ProtoJsonKind.Message, Repeated: true, Message: () => KeyValue!),
    ]);

    public static ProtoJsonMessage ScopeSpans { get; } = new("ScopeSpans",
    [
        new(1, "scope", ProtoJsonKind.Message, Message: () => InstrumentationScope!),
        new(2, "spans", ProtoJsonKind.Message, Repeated: true, Message: () => Span!),
        new(3, "schemaUrl", ProtoJsonKind.String),
    ]);

    public static ProtoJsonMessage InstrumentationScope { get; } = new("InstrumentationScope",
    [
        new(1, "name", ProtoJsonKind.String),
        new(2, "version", ProtoJsonKind.String),
        new(3, "attributes", ProtoJsonKind.Message, Repeated: true, Message: () => KeyValue!),
    ]);

    public static ProtoJsonMessage Span { get; } = new("Span",
    [
        new(1, "traceId", ProtoJsonKind.Hex),
        new(2, "spanId", ProtoJsonKind.Hex),
        new(3, "traceState", ProtoJsonKind.String),
        new(4, "parentSpanId", ProtoJsonKind.Hex),
        new(5, "name", ProtoJsonKind.String),
        new(6, "kind", ProtoJsonKind.Int32),
        new(7, "startTimeUnixNano", ProtoJsonKind.Fixed64),
        new(8, "endTimeUnixNano", ProtoJsonKind.Fixed64),
        new(9, "attributes", ProtoJsonKind.Message, Repeated: true, Message: () => KeyValue!),
        new(11, "events", ProtoJsonKind.Message, Repeated: true, Message: () => SpanEvent!),
        new(15, "status", ProtoJsonKind.Message, Message: () => Status!),
    ]);

    public static ProtoJsonMessage SpanEvent { get; } = new("Span.Event",
    [
        new(1, "timeUnixNano", ProtoJsonKind.Fixed64),
        new(2, "name", ProtoJsonKind.String),
        new(3, "attributes", ProtoJsonKind.Message, Repeated: true, Message: () => KeyValue!),
    ]);

    public static ProtoJsonMessage Status { get; } = new("Status",
    [
        new(2, "message", ProtoJsonKind.String),
        new(3, "code", ProtoJsonKind.Int32),
    ]);

    public static ProtoJsonMessage KeyValue { get; } = new("KeyValue",
    [
        new(1, "key", ProtoJsonKind.String),
        new(2, "value", ProtoJsonKind.Message, Message: () => AnyValue!),
    ]);

    public static ProtoJsonMessage AnyValue { get; } = new("AnyValue",
    [
        new(1, "stringValue", ProtoJsonKind.String),
        new(2, "boolValue", ProtoJsonKind.Bool),
        new(3, "intValue", ProtoJsonKind.Int64),
        new(4, "doubleValue", ProtoJsonKind.Double),
        new(5, "arrayValue", ProtoJsonKind.Message, Message: () => ArrayValue!),
        new(6, "kvlistValue", ProtoJsonKind.Message, Message: () => KeyValueList!),
        new(7, "bytesValue", ProtoJsonKind.Base64),
    ], OneOf: true);

    public static ProtoJsonMessage ArrayValue { get; } = new("ArrayValue",
    [
        new(1, "values", ProtoJsonKind.Message, Repeated: true, Message: () => AnyValue!),
    ]);

    public static ProtoJsonMessage KeyValueList { get; } = new("KeyValueList",
    [
        new(1, "values", ProtoJsonKind.Message, Repeated: true, Message: () => KeyValue!),
    ]);
}
