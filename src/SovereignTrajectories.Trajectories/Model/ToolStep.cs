namespace SovereignTrajectories.Trajectories.Model;

/// <summary>
/// A completed tool call. <see cref="InputJson"/> is the call's arguments as compact JSON text
/// (see <c>Json.CompactJson.Normalize</c>); <see cref="Output"/> is the full output as produced
/// by the tool. A step read back from events may hold only a preview: then
/// <see cref="OutputTruncated"/> is true and <see cref="OutputSha256"/> hashes the full output.
/// </summary>
public sealed record ToolStep(string Name, string CallId, string InputJson, string Output, bool Ok) : Step
{
    public long? LatencyMs { get; init; }

    /// <summary>True when <see cref="Output"/> is a head+tail preview, not the full output.</summary>
    public bool OutputTruncated { get; init; }

    /// <summary>Hex SHA-256 of the full output when it is known but not at hand; null means "hash <see cref="Output"/>".</summary>
    public string? OutputSha256 { get; init; }

    public override string TypeName => StepTypes.Tool;
}
