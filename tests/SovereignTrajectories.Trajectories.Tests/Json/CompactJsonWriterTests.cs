using SovereignTrajectories.Trajectories.Json;

namespace SovereignTrajectories.Trajectories.Tests.Json;

public sealed class CompactJsonWriterTests
{
    [Fact]
    public void Escapes_strings_exactly_as_NIP01_serialisation_does()
    {
        // The NIP-01 escaping vector of ../shared/reference/environment.md (checked against nostr-tools and rust-nostr).
        var w = new CompactJsonWriter();
        w.StringValue("héllo \"quoted\" \\ back\nnew\ttab\r\u0001\u001f ctrl \u2028 \u007f emoji \U0001F600 <>&'");
        Assert.Equal("\"héllo \\\"quoted\\\" \\\\ back\\nnew\\ttab\\r\\u0001\\u001f ctrl \u2028 \u007f emoji \U0001F600 <>&'\"", w.ToJsonString());
    }

    [Fact]
    public void Writes_keys_in_call_order_with_commas_only_between_members()
    {
        var w = new CompactJsonWriter();
        w.StartObject();
        w.String("z", "1");
        w.Name("arr");
        w.StartArray();
        w.NumberValue(1);
        w.StartObject();
        w.EndObject();
        w.BoolValue(false);
        w.EndArray();
        w.Number("a", 0.1);
        w.Number("cost", 0.0120m);
        w.EndObject();
        Assert.Equal("{\"z\":\"1\",\"arr\":[1,{},false],\"a\":0.1,\"cost\":0.0120}", w.ToJsonString());
    }

    [Fact]
    public void Rejects_a_number_with_no_json_form_naming_the_field()
    {
        var w = new CompactJsonWriter();
        w.StartObject();
        var ex = Assert.Throws<ArgumentException>(() => w.Number("confidence", double.NaN));
        Assert.Contains("confidence", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_keeps_original_key_order_and_number_text_and_drops_whitespace()
    {
        string json = "{ \"b\" : 1,\n \"a\": [1, 2.50, \"x\\u00e9\\/\", 1e3, null], \"c\": {\"y\":true,\"x\":false} }";
        Assert.Equal("{\"b\":1,\"a\":[1,2.50,\"xé/\",1e3,null],\"c\":{\"y\":true,\"x\":false}}", CompactJson.Normalize(json));
    }

    [Fact]
    public void Sorted_orders_object_keys_ordinally_at_every_depth()
    {
        Assert.Equal("{\"A\":{\"a\":2,\"b\":1},\"a\":[{\"x\":1,\"y\":2}]}", CompactJson.Sorted("{\"a\":[{\"y\":2,\"x\":1}],\"A\":{\"b\":1,\"a\":2}}"));
    }

    [Theory]
    [InlineData("{\"a\":")]
    [InlineData("")]
    [InlineData("1 2")]
    [InlineData("{'a':1}")]
    public void Normalize_rejects_text_that_is_not_one_json_value_naming_the_field(string json)
    {
        var ex = Assert.Throws<FormatException>(() => CompactJson.Normalize(json, "step 4 input"));
        Assert.StartsWith("step 4 input:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_rejects_a_lone_surrogate_escape()
    {
        Assert.ThrowsAny<FormatException>(() => CompactJson.Normalize("\"\\ud800\""));
    }

    [Fact]
    public void Rfc3339_round_trips_every_tick_and_trims_the_fraction()
    {
        var t = new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.FromHours(2)).AddTicks(1234500);
        string text = Rfc3339.Format(t);
        Assert.Equal("2026-11-01T10:00:00.12345Z", text);
        Assert.Equal(t, Rfc3339.Parse(text, "ts"));
        Assert.Equal("2026-11-01T10:00:00Z", Rfc3339.Format(new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.Zero)));
    }
}
