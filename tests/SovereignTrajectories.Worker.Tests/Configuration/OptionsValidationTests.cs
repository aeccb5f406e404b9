using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SovereignTrajectories.Worker.Hosting;
using SovereignTrajectories.Worker.Tests.EndToEnd;

namespace SovereignTrajectories.Worker.Tests.Configuration;

public sealed class OptionsValidationTests
{
    [Theory]
    [InlineData("SovereignTrajectories:Delivery:Jitter", "2", "SovereignTrajectories:Delivery:Jitter")]
    [InlineData("SovereignTrajectories:Delivery:MaxInFlightPerRelay", "0", "SovereignTrajectories:Delivery:MaxInFlightPerRelay")]
    [InlineData("SovereignTrajectories:Mapping:MaxEventBytes", "100", "SovereignTrajectories:Mapping:MaxEventBytes")]
    [InlineData("SovereignTrajectories:Relays:0", "http://not-a-relay", "SovereignTrajectories:Relays")]
    [InlineData("SovereignTrajectories:Quorum", "5", "SovereignTrajectories:Relays")]
    [InlineData("SovereignTrajectories:Receipt:Bolt11", "lnbc1", "SovereignTrajectories:Receipt:Bolt11")]
    public async Task Host_start_fails_naming_the_bad_setting(string key, string value, string named)
    {
        string dir = TestWorker.NewDataDirectory();
        using IHost host = Build(dir, new Dictionary<string, string?> { [key] = value });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_key_file_others_can_read_is_refused_naming_the_setting_without_the_key()
    {
        string dir = TestWorker.NewDataDirectory();
        string keyFile = Path.Combine(dir, "agent.key");
        File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        using IHost host = Build(dir, []);

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("SovereignTrajectories:Key:File", ex.Message, StringComparison.Ordinal);
        Assert.Contains("chmod 600", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TestRuns.KeyHex, ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("nsec1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_relays_file_is_refused_naming_the_setting_and_the_path()
    {
        string dir = TestWorker.NewDataDirectory();
        HostApplicationBuilder builder = WorkerHost.CreateBuilder(null, includeIntake: false, new Dictionary<string, string?>
        {
            ["SovereignTrajectories:DataDirectory"] = dir,
            ["SovereignTrajectories:Key:File"] = Path.Combine(dir, "agent.key"),
            ["SovereignTrajectories:RelaysFile"] = Path.Combine(dir, "no-such-relays.json"),
        }, LogLevel.None);
        using IHost host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("SovereignTrajectories:RelaysFile", ex.Message, StringComparison.Ordinal);
        Assert.Contains("no-such-relays.json", ex.Message, StringComparison.Ordinal);
    }

    private static IHost Build(string dir, Dictionary<string, string?> extra)
    {
        var config = new Dictionary<string, string?>
        {
            ["SovereignTrajectories:DataDirectory"] = dir,
            ["SovereignTrajectories:Key:File"] = Path.Combine(dir, "agent.key"),
            ["SovereignTrajectories:Relays:0"] = "ws://127.0.0.1:9",
        };
        foreach ((string k, string? v) in extra)
        {
            config[k] = v;
        }

        return WorkerHost.CreateBuilder(null, includeIntake: false, config, LogLevel.None).Build();
    }
}
