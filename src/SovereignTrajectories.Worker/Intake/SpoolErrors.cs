using System.Text.Json;
using SovereignTrajectories.Trajectories.Ingest;
using SovereignTrajectories.Trajectories.Json;
using SovereignTrajectories.Trajectories.Mapping;

namespace SovereignTrajectories.Worker.Intake;

/// <summary>Tells errors a file causes by its content (it goes to failed/) from errors of the moment (it is retried).</summary>
public static class SpoolErrors
{
    /// <summary>True when retrying the same bytes can never succeed.</summary>
    public static bool IsContentError(Exception exception) => exception switch
    {
        Feedback.FeedbackException feedback => !feedback.Retryable,
        IngestException or TrajectoryFormatException or TrajectoryMappingException or JsonException
            or FormatException or ArgumentException or SessionNotFoundException or InvalidDataException => true,
        _ => false,
    };
}
