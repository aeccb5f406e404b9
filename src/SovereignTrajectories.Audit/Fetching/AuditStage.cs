namespace SovereignTrajectories.Audit.Fetching;

/// <summary>What an audit is doing while it reports <see cref="AuditProgress"/>.</summary>
public enum AuditStage
{
    /// <summary>Reading an archive: <see cref="AuditProgress.Done"/> and <see cref="AuditProgress.Total"/> are bytes.</summary>
    Reading,

    /// <summary>Receiving events from relays: <see cref="AuditProgress.Done"/> counts verified, new events; no total is known.</summary>
    Fetching,

    /// <summary>Running the checks over <see cref="AuditProgress.Done"/> events.</summary>
    Checking,
}
