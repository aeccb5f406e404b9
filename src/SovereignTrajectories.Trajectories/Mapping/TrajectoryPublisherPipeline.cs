using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Trajectories.Model;
using SovereignTrajectories.Trajectories.Redaction;

namespace SovereignTrajectories.Trajectories.Mapping;

/// <summary>
/// model -> redact -> attach verification statements -> map -> sign. Nothing reaches a signature
/// before redaction. Thread-safe: holds only immutable configuration.
/// </summary>
public sealed class TrajectoryPublisherPipeline
{
    private readonly Redactor _redactor;
    private readonly TrajectoryEventMapper _mapper;

    public TrajectoryPublisherPipeline(
        TrajectoryMapperOptions? mapperOptions = null,
        RedactionOptions? redactionOptions = null,
        TimeProvider? timeProvider = null)
    {
        _redactor = new Redactor(redactionOptions);
        _mapper = new TrajectoryEventMapper(mapperOptions, timeProvider);
    }

    /// <summary>The trajectory as it will be published (redacted, statements attached), and the report.</summary>
    public (Trajectory Prepared, RedactionReport Report) Prepare(Trajectory trajectory)
    {
        var report = new RedactionReport();
        Trajectory redacted = TrajectoryRedaction.Redact(trajectory, _redactor, report);
        return (VerificationStatements.Attach(redacted), report);
    }

    public PublishResult Publish(Trajectory trajectory, SecretKey key)
    {
        (Trajectory prepared, RedactionReport report) = Prepare(trajectory);
        return new PublishResult(_mapper.Map(prepared, key), report);
    }

    /// <summary>Redacts and appends <paramref name="steps"/> (e.g. a reward that arrived after the end).</summary>
    public PublishResult Append(PublishedState state, IEnumerable<Step> steps, SecretKey key, DateTimeOffset? endedAt = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(steps);
        var report = new RedactionReport();
        int seq = state.StepCount;
        Step[] prepared = steps
            .Select(s => s with { Seq = ++seq })
            .Select(s => VerificationStatements.Attach(TrajectoryRedaction.RedactStep(s, _redactor, report), state.Trajectory.Session))
            .ToArray();
        return new PublishResult(_mapper.Append(state, prepared, key, endedAt), report);
    }
}
