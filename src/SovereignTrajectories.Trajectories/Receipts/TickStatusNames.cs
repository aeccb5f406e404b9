namespace SovereignTrajectories.Trajectories.Receipts;

/// <summary>The wire names of <see cref="TickStatus"/>.</summary>
public static class TickStatusNames
{
    public static string ToWire(TickStatus status) => status switch
    {
        TickStatus.Success => "success",
        TickStatus.Failure => "failure",
        TickStatus.Timeout => "timeout",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown tick status"),
    };

    public static bool TryParse(string? value, out TickStatus status)
    {
        switch (value)
        {
            case "success": status = TickStatus.Success; return true;
            case "failure": status = TickStatus.Failure; return true;
            case "timeout": status = TickStatus.Timeout; return true;
            default: status = default; return false;
        }
    }
}
