using SovereignTrajectories.Worker.Feedback;
using SovereignTrajectories.Worker.Http;
using SovereignTrajectories.Worker.Live;
using SovereignTrajectories.Worker.Otlp;

namespace SovereignTrajectories.Worker.Intake;

/// <summary>
/// How agent runs reach the worker, bound from <c>SovereignTrajectories:Intake</c>: the spool
/// directory, followed live runs, the HTTP receiver (OTLP, feedback, status) and the feedback drop.
/// Relative directories resolve against the worker's data directory.
/// </summary>
public sealed class IntakeOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "SovereignTrajectories:Intake";

    /// <summary>The spool directory of finished run files.</summary>
    public SpoolOptions Spool { get; set; } = new();

    /// <summary>Runs followed while they are written.</summary>
    public LiveOptions Live { get; set; } = new();

    /// <summary>The HTTP receiver: <c>POST /v1/traces</c>, <c>POST /v1/feedback</c>, <c>GET /status</c>.</summary>
    public HttpIntakeOptions Http { get; set; } = new();

    /// <summary>OTLP trace assembly.</summary>
    public OtlpOptions Otlp { get; set; } = new();

    /// <summary>The feedback file drop.</summary>
    public FeedbackOptions Feedback { get; set; } = new();

    /// <summary><paramref name="directory"/> made absolute against <paramref name="dataDirectory"/>.</summary>
    public static string Resolve(string dataDirectory, string directory) =>
        Path.GetFullPath(Path.IsPathRooted(directory) ? directory : Path.Combine(dataDirectory, directory));
}
