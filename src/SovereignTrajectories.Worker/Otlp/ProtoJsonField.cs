namespace SovereignTrajectories.Worker.Otlp;

/// <summary>
/// One field of a <see cref="ProtoJsonMessage"/>: its number, its JSON name, how it is encoded, and
/// for embedded messages which message (a function, so messages can contain themselves).
/// </summary>
internal sealed record ProtoJsonField(int Number, string JsonName, ProtoJsonKind Kind, bool Repeated = false, Func<ProtoJsonMessage>? Message = null)
{
    /// <summary>The protobuf wire type this field must arrive with.</summary>
    public int WireType => Kind switch
    {
        ProtoJsonKind.Bool or ProtoJsonKind.Int32 or ProtoJsonKind.Int64 => ProtoReader.VarintType,
        ProtoJsonKind.Fixed64 or ProtoJsonKind.Double => ProtoReader.Fixed64Type,
        _ => ProtoReader.LengthDelimitedType,
    };
}
