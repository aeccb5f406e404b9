using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Trajectories.Commitments;

namespace SovereignTrajectories.Trajectories.Tests.Commitments;

public sealed class TrajectoryHashTests
{
    [Fact]
    public void Matches_the_profile_vector_for_two_steps()
    {
        string? hash = TrajectoryHash.Compute(["{\"type\":\"ToolUse\",\"tool\":\"Read\"}", "{\"type\":\"ToolResult\",\"success\":true}"]);
        Assert.Equal("cc3c5a008a224128a7e8c0c60299a2925cd368eae1c2cc5fed254f4096deae16", hash);
    }

    [Fact]
    public void Matches_the_profile_vector_for_one_step()
    {
        Assert.Equal(
            "28d944aa137df8d9b6ba74d7e3066bac8d43ffd68526ec76948d65e8f1b57f60",
            TrajectoryHash.Compute(["{\"type\":\"ToolUse\"}"]));
    }

    [Fact]
    public void Empty_trajectory_has_no_hash()
    {
        Assert.Null(TrajectoryHash.Compute([]));
    }

    [Fact]
    public void Hashes_contents_joined_by_newline_without_trailing_newline()
    {
        string[] contents = ["{\"type\":\"user\",\"content\":\"héllo 😀\"}", "{\"type\":\"agent\"}", "x"];
        string expected = Convert.ToHexStringLower(
            System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', contents))));
        Assert.Equal(expected, TrajectoryHash.Compute(contents));
        Assert.NotEqual(expected, TrajectoryHash.Compute([.. contents, ""]));
    }

    [Fact]
    public void Events_hash_as_their_contents_whether_held_as_text_or_as_utf8()
    {
        // Mixed, and long enough to cross the 64 KiB buffer and to exceed it in one content.
        string[] contents = ["{\"type\":\"user\",\"content\":\"h\u00e9llo \ud83d\ude00\"}", new string('y', 70_000), "", "caf\u00e9 " + new string('z', 40_000), "x"];
        var arena = new Utf8ContentArena();
        NostrEvent[] events = contents.Select((c, i) => i % 2 == 0 ? Held(c, arena) : Built(c)).ToArray();
        Assert.True(events[0].TryGetContentUtf8(out _));
        Assert.False(events[1].TryGetContentUtf8(out _));

        Assert.Equal(TrajectoryHash.Compute(contents), TrajectoryHash.ComputeFromEvents(events));
        Assert.NotEqual(TrajectoryHash.Compute(contents), TrajectoryHash.ComputeFromEvents(events.Reverse()));
        Assert.Null(TrajectoryHash.ComputeFromEvents([]));
    }

    private static NostrEvent Built(string content) => new(new string('1', 64), new string('2', 64), 1, 39231, TagList.Empty, content, new string('3', 128));

    private static NostrEvent Held(string content, Utf8ContentArena arena)
    {
        NostrEvent e = Built(content);
        e = e with { Id = EventId.Compute(e.PubKey, e.CreatedAt, e.Kind, e.Tags, e.Content) };
        return EventParser.Parse(System.Text.Encoding.UTF8.GetBytes(CanonicalJson.Serialize(e)), new byte[32], null, arena);
    }

    [Fact]
    public void Contents_that_cross_and_exceed_the_hashing_buffer_hash_as_one_joined_text()
    {
        // Many short steps fill the 64 KiB buffer several times; a 200 KB output does not fit in it at all.
        var contents = Enumerable.Range(0, 5_000).Select(i => $"{{\"type\":\"agent\",\"content\":\"step {i} é😀\"}}").ToList();
        contents.Insert(2_500, new string('x', 200_000));
        contents.Add(new string('ü', 70_000));
        string expected = Convert.ToHexStringLower(
            System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', contents))));
        Assert.Equal(expected, TrajectoryHash.Compute(contents));
    }

    [Fact]
    public void Step_order_changes_the_hash()
    {
        Assert.NotEqual(TrajectoryHash.Compute(["a", "b"]), TrajectoryHash.Compute(["b", "a"]));
    }

    [Fact]
    public void Rejects_null_step_content_naming_its_position()
    {
        ArgumentException ex = Assert.Throws<ArgumentException>(() => TrajectoryHash.Compute(["a", null!]));
        Assert.Contains("position 1", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sha256:CC3C5A008A224128A7E8C0C60299A2925CD368EAE1C2CC5FED254F4096DEAE16")]
    [InlineData("SHA256:cc3c5a008a224128a7e8c0c60299a2925cd368eae1c2cc5fed254f4096deae16")]
    [InlineData("cc3c5a008a224128a7e8c0c60299a2925cd368eae1c2cc5fed254f4096deae16")]
    public void Normalize_strips_the_sha256_prefix_and_lower_cases(string value)
    {
        Assert.Equal("cc3c5a008a224128a7e8c0c60299a2925cd368eae1c2cc5fed254f4096deae16", TrajectoryHash.Normalize(value));
    }
}
