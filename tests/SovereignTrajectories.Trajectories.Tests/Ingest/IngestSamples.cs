using SovereignTrajectories.Testing;
using SovereignTrajectories.Trajectories.Ingest;

namespace SovereignTrajectories.Trajectories.Tests.Ingest;

/// <summary>The sample runs under <c>samples/</c>, one per format.</summary>
internal static class IngestSamples
{
    public static string Claude => Path.Combine(RepoPaths.SamplesDir, "claude", "session.jsonl");

    public static string Codex => Directory.GetFiles(Path.Combine(RepoPaths.SamplesDir, "codex"), "rollout-*.jsonl").Single();

    public static string Atif => Path.Combine(RepoPaths.SamplesDir, "atif", "trajectory.json");

    public static string Otlp => Path.Combine(RepoPaths.SamplesDir, "otlp", "trace.json");

    public static string Replay => Path.Combine(RepoPaths.SamplesDir, "replay", "REPLAY.jsonl");

    public static string PathOf(TrajectoryFormat format) => format switch
    {
        TrajectoryFormat.Claude => Claude,
        TrajectoryFormat.Codex => Codex,
        TrajectoryFormat.Atif => Atif,
        TrajectoryFormat.Otlp => Otlp,
        TrajectoryFormat.Replay => Replay,
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static async Task<IngestResult> ReadAsync(byte[] bytes, TrajectoryFormat format, IngestOptions? options = null)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        return await new TrajectoryIngest().ReadAsync(stream, "input", format, options);
    }

    public static Task<IngestResult> ReadAsync(string text, TrajectoryFormat format, IngestOptions? options = null) =>
        ReadAsync(System.Text.Encoding.UTF8.GetBytes(text), format, options);
}
