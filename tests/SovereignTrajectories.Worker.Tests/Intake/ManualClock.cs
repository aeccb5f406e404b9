namespace SovereignTrajectories.Worker.Tests.Intake;

/// <summary>A clock the test moves by hand, for the quiet period and idle timeouts of code driven pass by pass.</summary>
internal sealed class ManualClock : TimeProvider
{
    private readonly Lock _gate = new();
    private DateTimeOffset _now = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (_gate)
        {
            _now += by;
        }
    }
}
