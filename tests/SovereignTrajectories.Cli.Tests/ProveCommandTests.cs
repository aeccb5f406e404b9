using System.CommandLine;
using System.Text.Json;
using SovereignTrajectories.Cli.Commands;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Trajectories.Mapping;
using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Cli.Tests;

/// <summary>
/// <c>sovtraj prove</c> and <c>sovtraj verify-proof</c>, invoked in-process through their
/// System.CommandLine commands (they are not in the catalog until the lead wires them).
/// </summary>
public sealed class ProveCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sovtraj-prove-").FullName;
    private readonly MappedTrajectory _mapped;

    public ProveCommandTests()
    {
        using SecretKey key = Key();
        DateTimeOffset start = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
        Trajectory t = Trajectory.Create(
            new SessionInfo("run-prove-1", start) { EndedAt = start.AddMinutes(5), Model = "m" },
            Enumerable.Range(1, 7).Select(i => (Step)new AgentStep("step " + i) { Timestamp = start.AddSeconds(i) }));
        _mapped = new TrajectoryEventMapper().Map(t, key);
        File.WriteAllLines(EventsPath, _mapped.Events.Select(CanonicalJson.Serialize));
    }

    /// <summary>BIP-340 test vector 1's secret key (bitcoin/bips bip-0340/test-vectors.csv): a public test key.</summary>
    private static SecretKey Key() => SecretKey.FromHex("b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfef");

    private string EventsPath => Path.Combine(_dir, "events.jsonl");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var root = new RootCommand();
        root.Subcommands.Add(ProveCommand.Create());
        root.Subcommands.Add(VerifyProofCommand.Create());
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    private async Task<string> ProveAsync(int seq)
    {
        (int code, string stdout, string stderr) = await RunAsync("prove", "--events", EventsPath, "--seq", seq.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(code == 0, $"exit {code}: {stderr}");
        return stdout.Trim();
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Prove_prints_coordinate_root_size_leaf_index_leaf_and_path()
    {
        using JsonDocument doc = JsonDocument.Parse(await ProveAsync(3));
        JsonElement p = doc.RootElement;
        Assert.Equal(["coordinate", "root", "size", "leaf_index", "leaf", "path"], p.EnumerateObject().Select(x => x.Name));
        Assert.Equal($"39230:{_mapped.State.PubKey}:run-prove-1", p.GetProperty("coordinate").GetString());
        Assert.Equal(_mapped.LatestSession.Tags.Find("merkle_root")![1], p.GetProperty("root").GetString());
        Assert.Equal(7, p.GetProperty("size").GetInt32());
        Assert.Equal(2, p.GetProperty("leaf_index").GetInt32());
        Assert.Equal(_mapped.StepEvents[2].Id, p.GetProperty("leaf").GetString());
        Assert.Equal(3, p.GetProperty("path").GetArrayLength()); // ceil(log2 7)
    }

    [Fact]
    public async Task Verify_proof_accepts_the_proven_step_for_every_seq()
    {
        for (int seq = 1; seq <= 7; seq++)
        {
            string proof = Write($"p{seq}.json", await ProveAsync(seq));
            string step = Write($"s{seq}.json", CanonicalJson.Serialize(_mapped.StepEvents[seq - 1]));
            (int code, string stdout, _) = await RunAsync("verify-proof", proof, "--event", step);
            Assert.True(code == 0, $"seq {seq}: {stdout}");
            Assert.StartsWith("valid:", stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Verify_proof_rejects_another_step_with_exit_1()
    {
        string proof = Write("p.json", await ProveAsync(3));
        string other = Write("s.json", CanonicalJson.Serialize(_mapped.StepEvents[3]));
        (int code, string stdout, _) = await RunAsync("verify-proof", proof, "--event", other);
        Assert.Equal(1, code);
        Assert.Contains("is not the proven leaf", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_proof_rejects_a_tampered_path_or_root_with_exit_1()
    {
        string proofJson = await ProveAsync(5);
        string step = Write("s.json", CanonicalJson.Serialize(_mapped.StepEvents[4]));
        StepInclusionProof proof = StepInclusionProof.Parse(proofJson);
        string flipped = proof.Path[0][..63] + (proof.Path[0][63] == '0' ? '1' : '0');
        StepInclusionProof[] tampered =
        [
            proof with { Path = [flipped, .. proof.Path.Skip(1)] },
            proof with { Root = new string('0', 64) },
            // (Size 8 would pass: for leaf 4, trees of 7 and 8 share the path shape; the session's merkle_root tag binds the size.)
            proof with { Size = 5 },
            proof with { Path = proof.Path.Take(2).ToArray() },
        ];
        foreach (StepInclusionProof bad in tampered)
        {
            (int code, string stdout, _) = await RunAsync("verify-proof", Write("bad.json", bad.ToJson()), "--event", step);
            Assert.True(code == 1, $"accepted {bad.ToJson()}: {stdout}");
        }
    }

    [Fact]
    public async Task Verify_proof_rejects_a_step_whose_content_was_changed()
    {
        string proof = Write("p.json", await ProveAsync(2));
        NostrEvent original = _mapped.StepEvents[1];
        string forged = CanonicalJson.Serialize(original with { Content = "{\"type\":\"agent\",\"content\":\"forged\"}" });
        (int code, string stdout, _) = await RunAsync("verify-proof", proof, "--event", Write("f.json", forged));
        Assert.Equal(1, code);
        Assert.Contains("not validly signed", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prove_refuses_a_seq_outside_the_session_with_exit_2()
    {
        (int code, _, _) = await RunAsync("prove", "--events", EventsPath, "--seq", "8");
        Assert.Equal(2, code);
        (code, _, _) = await RunAsync("prove", "--events", EventsPath, "--seq", "0");
        Assert.Equal(2, code);
    }

    [Fact]
    public async Task Prove_fails_with_exit_1_when_the_steps_do_not_reproduce_the_published_root()
    {
        // A validly signed but different step 4, as a relay holding a rewritten history would return.
        using SecretKey key = Key();
        NostrEvent s4 = _mapped.StepEvents[3];
        NostrEvent rewritten = EventSigner.Sign(new UnsignedEvent(s4.CreatedAt, s4.Kind, s4.Tags, "{\"type\":\"agent\",\"content\":\"rewritten\"}"), key);
        File.WriteAllLines(EventsPath, _mapped.Events.Select(e => e.Id == s4.Id ? rewritten : e).Select(CanonicalJson.Serialize));
        (int code, string stdout, string stderr) = await RunAsync("prove", "--events", EventsPath, "--seq", "1");
        Assert.Equal(1, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("do not reproduce the session's merkle_root", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prove_refuses_when_committed_steps_are_missing_with_exit_2()
    {
        File.WriteAllLines(EventsPath, _mapped.Events.Where(e => e.Id != _mapped.StepEvents[3].Id).Select(CanonicalJson.Serialize));
        (int code, string stdout, _) = await RunAsync("prove", "--events", EventsPath, "--seq", "1");
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
    }

    [Fact]
    public async Task Verify_proof_with_a_malformed_proof_could_not_run()
    {
        string step = Write("s.json", CanonicalJson.Serialize(_mapped.StepEvents[0]));
        (int code, _, _) = await RunAsync("verify-proof", Write("p.json", "{\"coordinate\":\"x\"}"), "--event", step);
        Assert.Equal(2, code);
        (code, _, _) = await RunAsync("verify-proof", Write("p2.json", "not json"), "--event", step);
        Assert.Equal(2, code);
    }

    [Fact]
    public async Task Prove_names_the_file_and_line_of_an_event_that_does_not_parse()
    {
        File.AppendAllText(EventsPath, "{\"id\":\"nope\"}\n");
        (int code, _, _) = await RunAsync("prove", "--events", EventsPath, "--seq", "1");
        Assert.Equal(2, code);
    }
}
