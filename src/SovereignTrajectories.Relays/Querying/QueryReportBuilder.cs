using SovereignTrajectories.Nostr.Messages;
using SovereignTrajectories.Relays.Connections;

namespace SovereignTrajectories.Relays.Querying;

/// <summary>Accumulates one relay's part of a query across pages and filters.</summary>
internal sealed class QueryReportBuilder(string relay)
{
    private readonly Lock _gate = new();
    private long _received;
    private long _invalid;
    private long _unmatched;
    private int _pages;
    private bool _failed;
    private MachineReadablePrefix? _closedPrefix;
    private string? _error;

    public void AddPage(RelaySubscription sub)
    {
        lock (_gate)
        {
            _pages++;
            _received += sub.Received;
            _invalid += sub.DroppedInvalid;
            _unmatched += sub.DroppedUnmatched;
        }
    }

    public void Fail(string error, MachineReadablePrefix? prefix = null)
    {
        lock (_gate)
        {
            _failed = true;
            _error = _error is null ? error : _error + "; " + error;
            _closedPrefix ??= prefix;
        }
    }

    public RelayQueryReport Build()
    {
        lock (_gate)
        {
            return new RelayQueryReport(relay, _received, _invalid, _unmatched, _pages, !_failed, _closedPrefix, _error);
        }
    }
}
