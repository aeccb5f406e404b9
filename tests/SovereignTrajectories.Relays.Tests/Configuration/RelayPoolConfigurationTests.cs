using SovereignTrajectories.Relays.Configuration;

namespace SovereignTrajectories.Relays.Tests.Configuration;

public sealed class RelayPoolConfigurationTests
{
    [Fact]
    public void Reads_relays_flags_quorum_and_timeouts()
    {
        RelayPoolOptions o = RelayPoolConfiguration.Parse("""
            { "relays": [ { "url": "ws://127.0.0.1:7447", "read": true, "write": true },
                          { "url": "wss://relay.example.com/", "write": false } ],
              "quorum": 1,
              "timeouts": { "connectSeconds": 3, "publishSeconds": 4.5 },
              "maxPublishesInFlight": 32 }
            """);
        Assert.Equal(2, o.Relays.Count);
        Assert.Equal("ws://127.0.0.1:7447", o.Relays[0].Name);
        Assert.Equal("wss://relay.example.com", o.Relays[1].Name);
        Assert.False(o.Relays[1].Write);
        Assert.True(o.Relays[1].Read);
        Assert.Equal(1, o.Quorum);
        Assert.Equal(TimeSpan.FromSeconds(3), o.Connection.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(4.5), o.Connection.PublishTimeout);
        Assert.Equal(32, o.Connection.MaxPublishesInFlight);
    }

    [Fact]
    public void A_publish_window_below_one_is_refused_by_name()
    {
        var options = new RelayConnectionOptions { MaxPublishesInFlight = 0 };

        var ex = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("MaxPublishesInFlight must be at least 1, got 0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_repository_relays_json_is_valid()
    {
        string path = Path.Combine(SovereignTrajectories.Testing.RepoPaths.Root, "relays.json");
        RelayPoolOptions o = RelayPoolConfiguration.Load(path);
        Assert.NotEmpty(o.Relays);
        Assert.InRange(o.Quorum, 1, o.Relays.Count(r => r.Write));
    }

    [Theory]
    [InlineData("""{ "relays": [ { "url": "http://x.example" } ] }""", "relays[0].url", "not a ws:// or wss:// URL")]
    [InlineData("""{ "relays": [ { "url": "ws://a.example" }, { "url": "nonsense" } ] }""", "relays[1].url", "not an absolute URL")]
    [InlineData("""{ "relays": [ { "url": "ws://a.example" }, { "url": "ws://a.example/" } ] }""", "relays[1].url", "listed twice")]
    [InlineData("""{ "relays": [ { "url": "ws://a.example", "read": "yes" } ] }""", "relays[0].read", "must be true or false")]
    [InlineData("""{ "relays": [ { "url": "ws://a.example", "read": false, "write": false } ] }""", "relays[0]", "neither read nor write")]
    [InlineData("""{ "relays": [ { "url": "ws://a.example" } ], "quorum": 2 }""", "quorum", "between 1 and the number of write relays (1)")]
    [InlineData("""{ "relays": [ { "url": "ws://a.example" } ], "timeouts": { "publishSeconds": 0 } }""", "timeouts.publishSeconds", "above 0")]
    [InlineData("""{ "relays": [ { "url": "ws://a.example" } ], "timeout": {} }""", "timeout", "not a known setting")]
    [InlineData("""{ "relays": [] }""", "relays", "lists no relay")]
    [InlineData("""{ "relays": [ { "url": "ws://user:pw@a.example" } ] }""", "relays[0].url", "credentials")]
    [InlineData("""[ "ws://a.example" ]""", "(root)", "must be a JSON object")]
    [InlineData("""{ "relays": [ { "url": "ws://a.example" } """, "not valid JSON", "")]
    public void Rejects_bad_configuration_naming_the_file_and_entry(string json, string entry, string what)
    {
        var ex = Assert.Throws<RelayConfigurationException>(() => RelayPoolConfiguration.Parse(json, "my-relays.json"));
        Assert.StartsWith("my-relays.json: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(entry, ex.Message, StringComparison.Ordinal);
        Assert.Contains(what, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_the_file_when_it_cannot_be_read()
    {
        string path = Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid().ToString("N"), "relays.json");
        var ex = Assert.Throws<RelayConfigurationException>(() => RelayPoolConfiguration.Load(path));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Command_line_relays_are_validated_and_deduplicated()
    {
        RelayPoolOptions o = RelayPoolConfiguration.FromUrls(["ws://a.example", "ws://A.example/"]);
        Assert.Single(o.Relays);
        var ex = Assert.Throws<RelayConfigurationException>(() => RelayPoolConfiguration.FromUrls(["https://a.example"]));
        Assert.Contains("--relay", ex.Message, StringComparison.Ordinal);
        Assert.Contains("https://a.example", ex.Message, StringComparison.Ordinal);
    }
}
