using System.Runtime.Versioning;
using System.Text.Json;
using SovereignTrajectories.Cli.Tests.Support;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Nip19;

namespace SovereignTrajectories.Cli.Tests.Commands;

/// <summary>The exact CLI contract of keygen, key show, event sign and event verify, through the real process.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class KeyAndEventCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sovtraj-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string KeyPath => Path.Combine(_dir, "agent.nsec");

    private async Task<string> KeygenAsync()
    {
        SovtrajResult result = await SovtrajProcess.RunAsync("keygen", "--out", KeyPath);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Lines.Single();
    }

    [Fact]
    public async Task Keygen_writes_an_nsec_with_mode_0600_and_prints_its_npub()
    {
        string npub = await KeygenAsync();

        Assert.StartsWith("npub1", npub, StringComparison.Ordinal);
        Assert.StartsWith("nsec1", File.ReadAllText(KeyPath).Trim(), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyPath));

        SovtrajResult show = await SovtrajProcess.RunAsync("key", "show", "--key", KeyPath);
        Assert.Equal(0, show.ExitCode);
        Assert.Equal(npub, show.Lines[0]);
        Assert.Equal(Convert.ToHexStringLower(Nip19Codec.DecodeNpub(npub)), show.Lines[1]);
    }

    [Fact]
    public async Task Keygen_refuses_to_overwrite_an_existing_file()
    {
        await KeygenAsync();
        string before = File.ReadAllText(KeyPath);

        SovtrajResult again = await SovtrajProcess.RunAsync("keygen", "--out", KeyPath);

        Assert.Equal(2, again.ExitCode);
        Assert.Contains("already exists", again.StdErr, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(KeyPath));
    }

    [Fact]
    public async Task Key_file_readable_by_others_is_refused_with_one_clear_line()
    {
        await KeygenAsync();
        File.SetUnixFileMode(KeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        SovtrajResult show = await SovtrajProcess.RunAsync("key", "show", "--key", KeyPath);

        Assert.Equal(2, show.ExitCode);
        Assert.Contains("chmod 600", show.StdErr, StringComparison.Ordinal);
        Assert.Single(show.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain(" at ", show.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_then_verify_round_trips_and_fills_missing_created_at_with_now()
    {
        await KeygenAsync();
        long before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        const string templates = "{\"kind\":1,\"content\":\"line\\nbreak \\u2028 \\u007f 😀 \\\"q\\\"\",\"tags\":[[\"t\",\"a\"],[\"e\",\"x\",\"\",\"root\"]]}\n"
            + "\n"
            + "{\"kind\":39230,\"created_at\":1700000000,\"tags\":[[\"d\",\"my-id\"]],\"content\":\"hi\"}\n";

        SovtrajResult signed = await SovtrajProcess.RunAsync(["event", "sign", "--key", KeyPath, "-"], templates);
        long after = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        Assert.True(signed.ExitCode == 0, signed.ToString());
        NostrEvent[] events = signed.Lines.Select(EventParser.Parse).ToArray();
        Assert.Equal(2, events.Length);
        Assert.InRange(events[0].CreatedAt, before, after);
        Assert.Equal("line\nbreak \u2028 \u007f 😀 \"q\"", events[0].Content);
        Assert.Equal(1700000000, events[1].CreatedAt);
        Assert.All(events, e => Assert.True(EventVerifier.Verify(e).IsValid));

        string file = Path.Combine(_dir, "signed.jsonl");
        File.WriteAllText(file, signed.StdOut);
        SovtrajResult verified = await SovtrajProcess.RunAsync("event", "verify", file);
        Assert.Equal(0, verified.ExitCode);
        Assert.Equal(events.Select(e => $"{e.Id} valid"), verified.Lines);
    }

    [Fact]
    public async Task Sign_reads_the_key_from_the_environment_when_no_file_is_given()
    {
        await KeygenAsync();
        string nsec = File.ReadAllText(KeyPath).Trim();

        SovtrajResult signed = await SovtrajProcess.RunAsync(
            ["event", "sign"], "{\"kind\":1,\"content\":\"x\"}\n", new Dictionary<string, string?> { ["SOVTRAJ_SECRET_KEY"] = nsec });

        Assert.True(signed.ExitCode == 0, signed.StdErr);
        NostrEvent ev = EventParser.Parse(signed.Lines.Single());
        SovtrajResult show = await SovtrajProcess.RunAsync("key", "show", "--key", KeyPath);
        Assert.Equal(show.Lines[1], ev.PubKey);
        Assert.False(signed.StdOut.Contains(nsec, StringComparison.Ordinal) || signed.StdErr.Contains(nsec, StringComparison.Ordinal), "secret key leaked");
    }

    [Fact]
    public async Task Sign_without_any_key_says_how_to_give_one()
    {
        SovtrajResult result = await SovtrajProcess.RunAsync(["event", "sign"], "{\"kind\":1,\"content\":\"x\"}\n");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--key FILE", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("SOVTRAJ_SECRET_KEY", result.StdErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"kind\":\"1\",\"content\":\"x\"}", "line 2: kind")]
    [InlineData("{\"kind\":70000,\"content\":\"x\"}", "line 2: kind")]
    [InlineData("{\"kind\":1,\"created_at\":1.5,\"content\":\"x\"}", "line 2: created_at")]
    [InlineData("{\"kind\":1}", "line 2: content")]
    [InlineData("{\"kind\":1,\"content\":\"x\",\"tags\":[[]]}", "line 2: tags[0]")]
    [InlineData("{\"kind\":1,\"content\":\"x\",\"tags\":[[\"t\",1]]}", "line 2: tags[0][1]")]
    [InlineData("{\"kind\":1,\"content\":\"x\",\"content\":\"y\"}", "line 2: not valid JSON")]
    [InlineData("not json", "line 2: not valid JSON")]
    public async Task Sign_names_the_bad_line_and_field_and_signs_nothing(string badLine, string expected)
    {
        await KeygenAsync();

        SovtrajResult result = await SovtrajProcess.RunAsync(
            ["event", "sign", "--key", KeyPath], "{\"kind\":1,\"content\":\"ok\"}\n" + badLine + "\n");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.StdErr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.StdOut);
    }

    [Fact]
    public async Task Verify_reports_each_bad_event_with_its_reason_and_exits_1()
    {
        await KeygenAsync();
        SovtrajResult signed = await SovtrajProcess.RunAsync(
            ["event", "sign", "--key", KeyPath], "{\"kind\":1,\"content\":\"a\"}\n{\"kind\":1,\"content\":\"b\"}\n");
        string[] lines = signed.Lines;
        string tampered = lines[1].Replace("\"content\":\"b\"", "\"content\":\"B\"", StringComparison.Ordinal);
        string input = lines[0] + "\n" + tampered + "\n{\"id\":\"zz\"}\n";

        SovtrajResult result = await SovtrajProcess.RunAsync(["event", "verify"], input);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"{EventParser.Parse(lines[0]).Id} valid", result.Lines[0]);
        Assert.StartsWith($"{EventParser.Parse(lines[1]).Id} invalid: id mismatch", result.Lines[1], StringComparison.Ordinal);
        Assert.StartsWith("zz invalid: ", result.Lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_json_prints_an_array_of_id_valid_reason_and_accepts_a_json_array()
    {
        await KeygenAsync();
        SovtrajResult signed = await SovtrajProcess.RunAsync(["event", "sign", "--key", KeyPath], "{\"kind\":1,\"content\":\"a\"}\n");
        string good = signed.Lines.Single();
        string badSig = good[..^3] + (good[^3] == '0' ? "1" : "0") + good[^2..];
        string array = "[" + good + "," + badSig + "]";

        SovtrajResult result = await SovtrajProcess.RunAsync(["event", "verify", "--json"], array);

        Assert.Equal(1, result.ExitCode);
        using JsonDocument doc = JsonDocument.Parse(result.StdOut);
        JsonElement[] items = doc.RootElement.EnumerateArray().ToArray();
        Assert.Equal(2, items.Length);
        Assert.True(items[0].GetProperty("valid").GetBoolean());
        Assert.Equal(JsonValueKind.Null, items[0].GetProperty("reason").ValueKind);
        Assert.False(items[1].GetProperty("valid").GetBoolean());
        Assert.False(string.IsNullOrEmpty(items[1].GetProperty("reason").GetString()));
        Assert.Equal(EventParser.Parse(good).Id, items[1].GetProperty("id").GetString());
    }

    [Fact]
    public async Task Verify_exits_2_when_the_input_cannot_be_read()
    {
        SovtrajResult result = await SovtrajProcess.RunAsync("event", "verify", Path.Combine(_dir, "missing.jsonl"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("missing.jsonl", result.StdErr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.StdOut);
    }

    [Fact]
    public async Task The_secret_key_never_appears_in_any_output()
    {
        string npub = await KeygenAsync();
        string nsec = File.ReadAllText(KeyPath).Trim();
        string hex = Convert.ToHexStringLower(Nip19Codec.DecodeNsec(nsec));
        var outputs = new List<SovtrajResult>
        {
            await SovtrajProcess.RunAsync("key", "show", "--key", KeyPath),
            await SovtrajProcess.RunAsync(["event", "sign", "--key", KeyPath], "{\"kind\":1,\"content\":\"x\"}\n{\"kind\":\"bad\"}\n"),
        };
        File.SetUnixFileMode(KeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        outputs.Add(await SovtrajProcess.RunAsync("key", "show", "--key", KeyPath));
        File.WriteAllText(Path.Combine(_dir, "bad.nsec"), nsec[..^2] + "qq");
        File.SetUnixFileMode(Path.Combine(_dir, "bad.nsec"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        outputs.Add(await SovtrajProcess.RunAsync("key", "show", "--key", Path.Combine(_dir, "bad.nsec")));

        Assert.Equal(2, outputs[3].ExitCode);
        Assert.StartsWith("npub1", npub, StringComparison.Ordinal);
        foreach (SovtrajResult r in outputs)
        {
            string all = r.StdOut + r.StdErr;
            bool leaked = all.Contains(nsec, StringComparison.Ordinal) || all.Contains(hex, StringComparison.Ordinal)
                || all.Contains(nsec[5..20], StringComparison.Ordinal) || all.Contains(hex[..16], StringComparison.Ordinal);
            Assert.False(leaked, "secret key material appeared in CLI output");
        }
    }
}
