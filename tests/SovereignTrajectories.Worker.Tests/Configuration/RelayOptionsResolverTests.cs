using SovereignTrajectories.Worker.Configuration;

namespace SovereignTrajectories.Worker.Tests.Configuration;

public sealed class RelayOptionsResolverTests
{
    [Theory]
    [InlineData(64, 256)]
    [InlineData(256, 256)]
    [InlineData(1000, 1000)]
    public void Each_connection_lets_the_delivery_window_through(int window, int expected)
    {
        var options = new SovereignTrajectoriesOptions { Relays = ["ws://127.0.0.1:7447"], Delivery = { MaxInFlightPerRelay = window } };

        Assert.Equal(expected, RelayOptionsResolver.Resolve(options).Connection.MaxPublishesInFlight);
    }
}
