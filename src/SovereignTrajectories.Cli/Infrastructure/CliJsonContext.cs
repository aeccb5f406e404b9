using System.Text.Json.Serialization;

namespace SovereignTrajectories.Cli.Infrastructure;

/// <summary>Source-generated JSON for the CLI's machine-readable outputs.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(List<VerifyResult>))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
