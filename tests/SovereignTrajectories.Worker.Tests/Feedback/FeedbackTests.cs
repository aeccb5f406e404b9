using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using SovereignTrajectories.Trajectories.Model;
using SovereignTrajectories.Worker.Feedback;
using SovereignTrajectories.Worker.Intake;
using SovereignTrajectories.Worker.Tests.Http;
using SovereignTrajectories.Worker.Tests.Intake;

namespace SovereignTrajectories.Worker.Tests.Feedback;

public sealed class FeedbackTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Feedback_after_the_end_appends_a_reward_step_and_a_new_final_version()
    {
        await using IntakeHttpHarness http = await IntakeHttpHarness.StartAsync();
        http.Sink.Seed(Run("run-1", ended: true));

        HttpResponseMessage response = await PostJson(http, "{\"session_id\":\"run-1\",\"signal\":\"accept\",\"comment\":\"works, thanks\"}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(3, body.RootElement.GetProperty("seq").GetInt32());
        Assert.True(body.RootElement.GetProperty("final").GetBoolean());
        SinkCall call = Assert.Single(http.Sink.Calls);
        Assert.Equal("append", call.Kind);
        Assert.Null(call.EndedAt); // the session already ended: the new version is final anyway
        RewardStep reward = Assert.IsType<RewardStep>(Assert.Single(call.Steps));
        Assert.Equal(RewardSignal.Accept, reward.Signal);
        Assert.Equal(1, reward.Value);
        Assert.Equal(RewardSource.Explicit, reward.Source);
        Assert.Equal("works, thanks", reward.Comment);
        Trajectory stored = http.Sink.Session("run-1")!;
        Assert.True(stored.Session.IsComplete);
        Assert.Equal(new Reward(RewardSignal.Accept, 1), stored.LatestReward);
    }

    [Theory]
    [InlineData("{}", 400, "field 'session_id': is missing")]
    [InlineData("[]", 400, "expected a JSON object")]
    [InlineData("{\"session_id\":\"run-1\"", 400, "not JSON")]
    [InlineData("{\"session_id\":\"run 1!\",\"signal\":\"accept\"}", 400, "field 'session_id': 'run 1!' is not a session id")]
    [InlineData("{\"session_id\":\"run-1\",\"signal\":\"like\"}", 400, "field 'signal': 'like' is not one of accept, reject")]
    [InlineData("{\"session_id\":\"run-1\",\"signal\":\"score\"}", 400, "field 'value': is required for signal 'score'")]
    [InlineData("{\"session_id\":\"run-1\",\"signal\":\"score\",\"value\":1.5}", 400, "field 'value': must be within -1..1")]
    [InlineData("{\"session_id\":\"run-1\",\"signal\":\"score\",\"value\":\"high\"}", 400, "field 'value': must be a number")]
    [InlineData("{\"session_id\":\"run-1\",\"signal\":\"accept\",\"comment\":7}", 400, "field 'comment': must be a string")]
    [InlineData("{\"session_id\":\"nobody\",\"signal\":\"accept\"}", 404, "session 'nobody' is not known")]
    [InlineData("{\"session_id\":\"running\",\"signal\":\"accept\"}", 409, "has not ended yet")]
    public async Task Refuses_bad_feedback_with_a_4xx_and_the_reason(string json, int status, string reason)
    {
        await using IntakeHttpHarness http = await IntakeHttpHarness.StartAsync();
        http.Sink.Seed(Run("run-1", ended: true));
        http.Sink.Seed(Run("running", ended: false));

        HttpResponseMessage response = await PostJson(http, json);

        Assert.Equal(status, (int)response.StatusCode);
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(reason, body.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(http.Sink.Calls);
        Assert.Equal(2, http.Sink.Session("run-1")!.Steps.Count);
    }

    [Fact]
    public async Task Answers_503_with_the_reason_when_the_outbox_cannot_store_the_reward()
    {
        await using IntakeHttpHarness http = await IntakeHttpHarness.StartAsync();
        http.Sink.Seed(Run("run-1", ended: true));
        http.Sink.Failure = new IOException("database is locked");

        HttpResponseMessage response = await PostJson(http, "{\"session_id\":\"run-1\",\"signal\":\"reject\"}");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("database is locked", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(2, http.Sink.Session("run-1")!.Steps.Count);
    }

    [Fact]
    public async Task Refuses_feedback_that_is_not_sent_as_json()
    {
        await using IntakeHttpHarness http = await IntakeHttpHarness.StartAsync();

        HttpResponseMessage response = await http.Client.PostAsync("/v1/feedback", new StringContent("session_id=run-1&signal=accept", Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("application/json", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-1", true)]
    [InlineData("1", true)]
    [InlineData("0.333", true)]
    [InlineData("-1.0000001", false)]
    [InlineData("1.0000001", false)]
    [InlineData("1e308", false)]
    [InlineData("-7", false)]
    public void Takes_values_within_minus_one_to_one_and_refuses_others_naming_the_value(string value, bool accepted)
    {
        string json = $"{{\"session_id\":\"s\",\"signal\":\"score\",\"value\":{value}}}";
        if (accepted)
        {
            FeedbackRequest parsed = FeedbackParser.Parse(Encoding.UTF8.GetBytes(json), "body", allowArray: false)[0];
            Assert.Equal(double.Parse(value, System.Globalization.CultureInfo.InvariantCulture), parsed.Value);
        }
        else
        {
            FeedbackException ex = Assert.Throws<FeedbackException>(() => FeedbackParser.Parse(Encoding.UTF8.GetBytes(json), "body", allowArray: false));
            Assert.Equal(400, ex.StatusCode);
            Assert.Contains("body: field 'value': must be within -1..1", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_dropped_feedback_file_is_applied_and_archived_and_a_bad_one_fails_with_the_reason()
    {
        using var temp = new TempDirectory();
        var sink = new RecordingSink();
        sink.Seed(Run("run-1", ended: true));
        using var monitor = new IntakeMonitor();
        var clock = new ManualClock();
        var service = new FeedbackService(new TrajectoryCommitter(sink, new SessionLocks()), monitor, clock, NullLogger<FeedbackService>.Instance);
        var spool = new SpoolDirectory(temp.Combine("feedback"));
        spool.EnsureCreated();
        var scanner = new SpoolScanner("feedback", spool, new FeedbackFileHandler(service), TimeSpan.Zero, 5, clock, monitor, NullLogger.Instance);
        File.WriteAllText(Path.Combine(spool.Inbox, "a.json"), "[{\"session_id\":\"run-1\",\"signal\":\"edit\",\"comment\":\"renamed a variable\"},{\"session_id\":\"run-1\",\"signal\":\"score\",\"value\":0.25}]");
        File.WriteAllText(Path.Combine(spool.Inbox, "b.json"), "{\"session_id\":\"run-1\",\"signal\":\"thumbs-up\"}");

        Assert.Equal(2, await scanner.ScanOnceAsync(CancellationToken.None));

        Assert.True(File.Exists(Path.Combine(spool.Archive, "a.json")));
        Assert.True(File.Exists(Path.Combine(spool.Failed, "b.json")));
        string reason = File.ReadAllText(Path.Combine(spool.Failed, "b.json.error.txt"));
        Assert.Contains("b.json: field 'signal': 'thumbs-up' is not one of", reason, StringComparison.Ordinal);
        RewardStep[] rewards = sink.Session("run-1")!.Steps.OfType<RewardStep>().ToArray();
        Assert.Equal([(RewardSignal.Edit, 0.5), (RewardSignal.Score, 0.25)], rewards.Select(r => (r.Signal, r.Value)));
        Assert.Equal(clock.GetUtcNow(), rewards[0].Timestamp);
    }

    private static Task<HttpResponseMessage> PostJson(IntakeHttpHarness http, string json) =>
        http.Client.PostAsync("/v1/feedback", new StringContent(json, Encoding.UTF8, "application/json"));

    private static Trajectory Run(string sid, bool ended)
    {
        var session = new SessionInfo(sid, Start) { EndedAt = ended ? Start.AddMinutes(5) : null };
        return Trajectory.Create(session, [new UserStep("fix the bug") { Timestamp = Start }, new AgentStep("done") { Timestamp = Start.AddMinutes(4) }]);
    }
}
