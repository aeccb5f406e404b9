using System.Text.Json.Serialization;

namespace SovereignTrajectories.Cli.Infrastructure;

/// <summary>One line of <c>sovtraj event verify --json</c>.</summary>
internal sealed record VerifyResult(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("valid")] bool Valid,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonIgnore] string Label);
