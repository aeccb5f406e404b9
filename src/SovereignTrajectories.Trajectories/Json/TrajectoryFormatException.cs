namespace SovereignTrajectories.Trajectories.Json;

/// <summary>
/// A trajectory event or content that cannot be read into the model. <see cref="Input"/> names
/// the input (an event id, a file), <see cref="Field"/> the field at fault.
/// </summary>
public sealed class TrajectoryFormatException : FormatException
{
    public TrajectoryFormatException(string source, string field, string reason, Exception? inner = null)
        : base($"{source}: {field}: {reason}", inner)
    {
        Input = source;
        Field = field;
        Reason = reason;
    }

    /// <summary>Where the bad input came from: <c>event &lt;id&gt;</c>, a file name.</summary>
    public string Input { get; }

    public string Field { get; }

    public string Reason { get; }
}
