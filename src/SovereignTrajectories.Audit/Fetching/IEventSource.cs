using SovereignTrajectories.Nostr.Filters;

namespace SovereignTrajectories.Audit.Fetching;

/// <summary>Where the auditor gets events from: relays, or an archive directory (offline mode).</summary>
public interface IEventSource
{
    /// <summary>A short description for reports ("3 relays", "archive /path").</summary>
    string Description { get; }

    /// <summary>True for offline sources (an archive): its events must be verified here, nothing vouched for them.</summary>
    bool IsOffline { get; }

    /// <summary>Every event matching any of <paramref name="filters"/>. Throws <see cref="AuditDataException"/> when the source cannot be read at all.</summary>
    Task<EventBatch> FetchAsync(IReadOnlyList<Filter> filters, CancellationToken cancellationToken);

    /// <summary>The directory holding full outputs and in-toto statements for a session, when the source has one.</summary>
    string? ArtifactsDirectory(string sid);
}
