namespace SovereignTrajectories.Worker.Otlp;

/// <summary>How one protobuf field is read from the wire and written in the protobuf JSON mapping.</summary>
internal enum ProtoJsonKind
{
    /// <summary>Length-delimited UTF-8, a JSON string.</summary>
    String,

    /// <summary>Length-delimited bytes written as lowercase hex (OTLP's trace and span ids).</summary>
    Hex,

    /// <summary>Length-delimited bytes written as base64 (the JSON mapping of <c>bytes</c>).</summary>
    Base64,

    /// <summary>Varint, a JSON boolean.</summary>
    Bool,

    /// <summary>Varint enum or int32, a JSON number.</summary>
    Int32,

    /// <summary>Varint int64, a decimal string (the JSON mapping of 64-bit integers).</summary>
    Int64,

    /// <summary>Fixed64 unsigned, a decimal string (OTLP's nanosecond times).</summary>
    Fixed64,

    /// <summary>Fixed64 IEEE double, a JSON number, or "NaN"/"Infinity"/"-Infinity".</summary>
    Double,

    /// <summary>Length-delimited embedded message, a JSON object.</summary>
    Message,
}
