using SovereignTrajectories.Nostr.Crypto;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Trajectories.Json;
using SovereignTrajectories.Trajectories.Mapping;
using SovereignTrajectories.Trajectories.Model;
using SovereignTrajectories.Trajectories.Redaction;
using SovereignTrajectories.Trajectories.Tests.Model;

namespace SovereignTrajectories.Trajectories.Tests.Mapping;

public sealed class TrajectoryPublisherPipelineTests
{
    private const string AwsKey = "AKIAIOSFODNN7EXAMPLE";
    private const string GitHubToken = "ghp_1234567890abcdefghijklmnopqrstuvwxyzAB";

    private static Trajectory WithSecrets() => Trajectory.Create(SampleTrajectories.Session() with { Repo = "https://user:hunter2pass@github.com/example/repo" },
    [
        new UserStep("use token " + GitHubToken),
        new ThinkingStep("my private reasoning"),
        new ToolStep("Bash", "c1", "{\"command\":\"deploy\",\"api_key\":\"sk-live-abc123\",\"tokens_in\":5}", "{\"aws\":\"" + AwsKey + "\",\"author\":\"ann\"}", true),
        new VerificationStep("npm test", VerificationKind.Test, 1) { Passed = 3, Failed = 1, Output = "FAIL auth.test.js" },
    ]);

    [Fact]
    public void Nothing_secret_reaches_a_signed_event()
    {
        using SecretKey key = SampleTrajectories.Key();
        PublishResult result = new TrajectoryPublisherPipeline().Publish(WithSecrets(), key);
        foreach (NostrEvent e in result.Mapped.Events)
        {
            string json = CanonicalJson.Serialize(e);
            Assert.DoesNotContain(GitHubToken, json, StringComparison.Ordinal);
            Assert.DoesNotContain(AwsKey, json, StringComparison.Ordinal);
            Assert.DoesNotContain("sk-live-abc123", json, StringComparison.Ordinal);
            Assert.DoesNotContain("my private reasoning", json, StringComparison.Ordinal);
        }

        Assert.True(result.Report.Count >= 4, $"report has {result.Report.Count} findings");
        Assert.DoesNotContain(GitHubToken, result.Report.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_statement_that_holds_a_secret_is_rebuilt_from_the_redacted_step()
    {
        using SecretKey key = SampleTrajectories.Key();
        string command = "GITHUB_TOKEN=" + GitHubToken + " npm test";
        var original = new InTotoStatement(System.Text.Encoding.UTF8.GetBytes("{\"command\":\"" + command + "\"}"));
        Trajectory run = Trajectory.Create(SampleTrajectories.Session(),
        [
            new VerificationStep(command, VerificationKind.Test, 0) { Passed = 2, Statement = original },
        ]);

        PublishResult result = new TrajectoryPublisherPipeline().Publish(run, key);

        var step = Assert.IsType<VerificationStep>(result.Mapped.State.Trajectory.Steps[0]);
        Assert.NotNull(step.Statement);
        Assert.NotEqual(original.StatementSha256, step.StatementSha256Hex);
        Assert.DoesNotContain(GitHubToken, System.Text.Encoding.UTF8.GetString(step.Statement!.StatementBytes.Span), StringComparison.Ordinal);
        Assert.Contains(step.StatementSha256Hex!, result.Mapped.StepEvents[0].Content, StringComparison.Ordinal);
        Assert.Contains(result.Report.Findings, f => f.Rule == "statement-rebuilt");
    }

    [Fact]
    public void Thinking_is_published_as_redacted_with_the_hash_of_the_original()
    {
        using SecretKey key = SampleTrajectories.Key();
        PublishResult result = new TrajectoryPublisherPipeline().Publish(WithSecrets(), key);
        Step step = StepContentReader.Read(result.Mapped.StepEvents[1].Content, null, "t", []);
        var thinking = Assert.IsType<ThinkingStep>(step);
        Assert.True(thinking.IsRedacted);
        Assert.Equal(Sha256.HexOfUtf8("my private reasoning"), thinking.Hash);
    }

    [Fact]
    public void Thinking_is_published_when_the_operator_asks_for_it()
    {
        using SecretKey key = SampleTrajectories.Key();
        PublishResult result = new TrajectoryPublisherPipeline(redactionOptions: new RedactionOptions { PublishThinking = true }).Publish(WithSecrets(), key);
        Assert.Contains("my private reasoning", result.Mapped.StepEvents[1].Content, StringComparison.Ordinal);
    }

    [Fact]
    public void Look_alike_keys_in_tool_input_are_left_alone()
    {
        using SecretKey key = SampleTrajectories.Key();
        PublishResult result = new TrajectoryPublisherPipeline().Publish(WithSecrets(), key);
        string tool = result.Mapped.StepEvents[2].Content;
        Assert.Contains("\"tokens_in\":5", tool, StringComparison.Ordinal);
        Assert.Contains("\\\"author\\\":\\\"ann\\\"", tool, StringComparison.Ordinal);
        Assert.Contains("\"command\":\"deploy\"", tool, StringComparison.Ordinal);
    }

    [Fact]
    public void Verification_steps_get_an_in_toto_statement_whose_hash_is_published()
    {
        using SecretKey key = SampleTrajectories.Key();
        PublishResult result = new TrajectoryPublisherPipeline().Publish(WithSecrets(), key);
        var v = Assert.IsType<VerificationStep>(result.Mapped.State.Trajectory.Steps[3]);
        Assert.NotNull(v.Statement);
        Assert.Contains("test-result/v0.1", System.Text.Encoding.UTF8.GetString(v.Statement!.StatementBytes.Span), StringComparison.Ordinal);
        Assert.Equal(v.Statement.StatementSha256, result.Mapped.StepEvents[3].Tags.FindValue("verification"));
        Assert.Contains("\"verification\":{\"passed\":false,\"runs\":1,\"failed_runs\":1", result.Mapped.LatestSession.Content, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reward_appended_later_is_redacted_too()
    {
        using SecretKey key = SampleTrajectories.Key();
        var pipeline = new TrajectoryPublisherPipeline();
        PublishResult first = pipeline.Publish(WithSecrets(), key);
        PublishResult later = pipeline.Append(first.Mapped.State, [new RewardStep(RewardSignal.Reject, -1, RewardSource.Explicit) { Comment = "leaked " + GitHubToken }], key);
        Assert.DoesNotContain(GitHubToken, later.Mapped.StepEvents[0].Content, StringComparison.Ordinal);
        Assert.Equal(1, later.Report.Count);
        Assert.Equal("5", later.Mapped.LatestSession.Tags.Find("merkle_root")![2]);
    }
}
