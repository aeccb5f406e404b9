using SovereignTrajectories.Worker.Outbox;

namespace SovereignTrajectories.Worker.Http;

/// <summary>
/// Where <c>GET /status</c> reads the outbox's state (depth, sessions pending and published, each
/// relay's health). Implemented by the outbox; when none is registered, /status reports intake only.
/// </summary>
public interface IWorkerStatusSource
{
    Task<OutboxStatus> GetStatusAsync(CancellationToken cancellationToken);
}
