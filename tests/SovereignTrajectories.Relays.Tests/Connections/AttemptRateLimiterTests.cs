using SovereignTrajectories.Relays.Connections;
using SovereignTrajectories.Relays.Tests.Support;

namespace SovereignTrajectories.Relays.Tests.Connections;

public sealed class AttemptRateLimiterTests
{
    [Fact]
    public void Never_allows_more_attempts_than_the_limit_in_any_minute()
    {
        var time = new FakeTimeProvider();
        var limiter = new AttemptRateLimiter(5);
        var granted = new List<DateTimeOffset>();
        for (int step = 0; step < 600; step++)
        {
            if (limiter.TryAcquire(time.GetUtcNow(), out _))
            {
                granted.Add(time.GetUtcNow());
            }

            time.Advance(TimeSpan.FromSeconds(1));
        }

        foreach (DateTimeOffset start in granted)
        {
            Assert.True(granted.Count(g => g >= start && g < start + TimeSpan.FromMinutes(1)) <= 5);
        }

        Assert.Equal(50, granted.Count);
    }

    [Fact]
    public void Says_how_long_until_the_oldest_attempt_leaves_the_window()
    {
        var time = new FakeTimeProvider();
        var limiter = new AttemptRateLimiter(2);
        Assert.True(limiter.TryAcquire(time.GetUtcNow(), out _));
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(limiter.TryAcquire(time.GetUtcNow(), out _));
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.False(limiter.TryAcquire(time.GetUtcNow(), out TimeSpan wait));
        Assert.Equal(TimeSpan.FromSeconds(45), wait);
        time.Advance(wait);
        Assert.True(limiter.TryAcquire(time.GetUtcNow(), out _));
    }
}
