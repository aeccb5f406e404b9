namespace SovereignTrajectories.Worker.Otlp;

/// <summary>
/// A protobuf message described as data: its fields in the order they are written to JSON. When
/// <paramref name="OneOf"/> is set, all fields form one <c>oneof</c> and only the last one on the
/// wire is written, as protobuf decoding requires.
/// </summary>
internal sealed record ProtoJsonMessage(string Name, IReadOnlyList<ProtoJsonField> Fields, bool OneOf = false)
{
    /// <summary>The index in <see cref="Fields"/> of field <paramref name="number"/>, or -1 for a field this schema does not map.</summary>
    public int IndexOf(int number)
    {
        for (int i = 0; i < Fields.Count; i++)
        {
            if (Fields[i].Number == number)
            {
                return i;
            }
        }

        return -1;
    }
}
