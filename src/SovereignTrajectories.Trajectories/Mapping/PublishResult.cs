using SovereignTrajectories.Trajectories.Redaction;

namespace SovereignTrajectories.Trajectories.Mapping;

/// <summary>The signed events plus what goes to the local archive with them: the redaction report (never the secrets).</summary>
public sealed record PublishResult(MappedTrajectory Mapped, RedactionReport Report);
