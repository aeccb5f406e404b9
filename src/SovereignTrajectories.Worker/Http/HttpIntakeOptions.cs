namespace SovereignTrajectories.Worker.Http;

/// <summary>The HTTP receiver (OTLP/HTTP traces, feedback, status).</summary>
public sealed class HttpIntakeOptions
{
    /// <summary>Whether the receiver listens at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Where it listens; the OTLP/HTTP default port on loopback. Port 0 picks a free port.</summary>
    public string Url { get; set; } = "http://127.0.0.1:4318";

    /// <summary>Largest accepted request body in bytes (after decompression).</summary>
    public long MaxBodyBytes { get; set; } = 32L * 1024 * 1024;
}
