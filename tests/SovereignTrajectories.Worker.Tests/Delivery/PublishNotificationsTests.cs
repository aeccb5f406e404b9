using SovereignTrajectories.Worker.Delivery;
using SovereignTrajectories.Worker.Outbox;
using SovereignTrajectories.Worker.Tests.Intake;

namespace SovereignTrajectories.Worker.Tests.Delivery;

public sealed class PublishNotificationsTests
{
    private const string Coordinate = "39230:0000000000000000000000000000000000000000000000000000000000000001:never";

    [Fact]
    public async Task A_waiter_that_gives_up_leaves_no_wake_up_behind()
    {
        using var dir = new TempDirectory();
        using OutboxStore store = OutboxStore.Open(dir.Combine("outbox.db"));
        var notifications = new PublishNotifications(store);
        using var cts = new CancellationTokenSource();

        Task wait = notifications.WhenSessionPublishedAsync(Coordinate, cts.Token);
        Assert.True(SpinWait.SpinUntil(() => notifications.SessionWaitCount == 1, TimeSpan.FromSeconds(30)), "the waiter never registered");

        // A batch naming the session wakes the waiter; the session is still unknown, so it waits again.
        notifications.Recorded([Coordinate]);
        Assert.True(SpinWait.SpinUntil(() => notifications.SessionWaitCount == 1, TimeSpan.FromSeconds(30)), "the waiter did not wait again");
        Assert.False(wait.IsCompleted);

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
        Assert.Equal(0, notifications.SessionWaitCount);
    }

    [Fact]
    public async Task When_one_of_two_waiters_leaves_the_other_still_hears_the_session_published()
    {
        using var dir = new TempDirectory();
        using OutboxStore store = OutboxStore.Open(dir.Combine("outbox.db"));
        var notifications = new PublishNotifications(store);
        using var leaving = new CancellationTokenSource();
        using var staying = new CancellationTokenSource();

        Task first = notifications.WhenSessionPublishedAsync(Coordinate, leaving.Token);
        Task second = notifications.WhenSessionPublishedAsync(Coordinate, staying.Token);
        Assert.True(SpinWait.SpinUntil(() => notifications.SessionWaitCount == 1, TimeSpan.FromSeconds(30)));
        await leaving.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);

        // The one that stays registers again after the other left: a later batch still reaches it.
        Assert.True(SpinWait.SpinUntil(() => notifications.SessionWaitCount == 1, TimeSpan.FromSeconds(30)), "the remaining waiter lost its wake-up");
        Assert.False(second.IsCompleted);
        await staying.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
        Assert.Equal(0, notifications.SessionWaitCount);
    }
}
