namespace SovereignTrajectories.Trajectories.Ingest;

/// <summary>The agent-run formats the ingest adapters read; <see cref="Auto"/> detects one from content.</summary>
public enum TrajectoryFormat
{
    Auto,
    Replay,
    Atif,
    Otlp,
    Claude,
    Codex,
}
