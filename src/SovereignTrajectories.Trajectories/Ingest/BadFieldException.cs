namespace SovereignTrajectories.Trajectories.Ingest;

/// <summary>
/// Raised inside an adapter when one field is missing or of the wrong type; the adapter adds the
/// file and line and turns it into an <see cref="IngestException"/> or a skipped-line note.
/// </summary>
internal sealed class BadFieldException(string field, string problem) : Exception($"field '{field}': {problem}")
{
    public string Field { get; } = field;

    public string Problem { get; } = problem;
}
