using FsCheck;
using FsCheck.Fluent;
using SovereignTrajectories.Relays.Configuration;
using SovereignTrajectories.Relays.Connections;

namespace SovereignTrajectories.Relays.Tests.Connections;

public sealed class ReconnectBackoffTests
{
    private static RelayConnectionOptions Options(double jitter = 0) => new()
    {
        ReconnectBaseDelay = TimeSpan.FromSeconds(1),
        ReconnectMaxDelay = TimeSpan.FromSeconds(60),
        ReconnectJitter = jitter,
        StabilityWindow = TimeSpan.FromSeconds(30),
    };

    [Fact]
    public void Delays_double_per_failure_up_to_the_cap()
    {
        var backoff = new ReconnectBackoff(Options(), () => 0.5);
        double[] seconds = Enumerable.Range(0, 9).Select(_ => backoff.Failed().TotalSeconds).ToArray();
        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60, 60], seconds);
    }

    [Fact]
    public void Jitter_stays_within_its_fraction_and_never_exceeds_the_cap()
    {
        Prop.ForAll(Gen.Choose(1, 40).ToArbitrary(), Gen.Choose(0, 999).ToArbitrary(), (failures, r) =>
        {
            var backoff = new ReconnectBackoff(Options(jitter: 0.25), () => r / 1000.0);
            double nominal = Math.Min(Math.Pow(2, failures - 1), 60);
            double d = backoff.Delay(failures).TotalSeconds;
            return d >= (nominal * 0.75) - 1e-9 && d <= Math.Min(nominal * 1.25, 60) + 1e-9;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Jitter_spreads_delays_apart()
    {
        var low = new ReconnectBackoff(Options(jitter: 0.2), () => 0.0);
        var high = new ReconnectBackoff(Options(jitter: 0.2), () => 0.999);
        Assert.True(low.Delay(3) < high.Delay(3));
    }

    [Fact]
    public void A_connection_that_outlived_the_stability_window_resets_the_backoff()
    {
        var backoff = new ReconnectBackoff(Options(), () => 0.5);
        var t = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        backoff.Failed();
        backoff.Failed();
        backoff.Failed();
        backoff.Connected(t);
        TimeSpan delay = backoff.Disconnected(t + TimeSpan.FromSeconds(31));
        Assert.Equal(TimeSpan.FromSeconds(1), delay);
        Assert.Equal(1, backoff.Failures);
    }

    [Fact]
    public void A_flapping_connection_keeps_backing_off()
    {
        var backoff = new ReconnectBackoff(Options(), () => 0.5);
        var t = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var delays = new List<double>();
        for (int i = 0; i < 4; i++)
        {
            backoff.Connected(t);
            t += TimeSpan.FromSeconds(5);
            delays.Add(backoff.Disconnected(t).TotalSeconds);
        }

        Assert.Equal([1, 2, 4, 8], delays);
    }
}
