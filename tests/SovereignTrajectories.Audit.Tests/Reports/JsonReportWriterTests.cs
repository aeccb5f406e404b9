using System.Text.Json;
using SovereignTrajectories.Audit.Reports;
using SovereignTrajectories.Audit.Tests.Tamper;
using SovereignTrajectories.Audit.Verification;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Trajectories.Mapping;

namespace SovereignTrajectories.Audit.Tests.Reports;

public sealed class JsonReportWriterTests
{
    private static readonly string[] TopLevelKeys =
    [
        "schema", "target", "target_kind", "coordinate", "source", "verdict", "exit_code", "reason", "verdict_line",
        "audited_at", "elapsed_ms", "events_fetched", "session", "claims", "sources", "summary", "checks",
    ];

    [Fact]
    public async Task Json_report_has_the_documented_keys_in_order_and_the_failing_check()
    {
        using SecretKey key = SecretKey.Generate();
        MappedTrajectory run = SampleRun.Publish(key, "run-json", unicode: true).Mapped;
        using var archive = new TestArchive(run.Events.Where(e => e.Id != run.StepEvents[2].Id), run);
        AuditReport report = await archive.AuditAsync(key.PublicKey.Hex, "run-json");

        using JsonDocument doc = JsonDocument.Parse(JsonReportWriter.ToJson(report));
        JsonElement root = doc.RootElement;
        Assert.Equal(TopLevelKeys, root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("sovtraj.audit.v1", root.GetProperty("schema").GetString());
        Assert.Equal("fail", root.GetProperty("verdict").GetString());
        Assert.Equal(1, root.GetProperty("exit_code").GetInt32());
        Assert.Equal(run.LatestSession.Id, root.GetProperty("session").GetProperty("event_id").GetString());
        JsonElement contiguous = root.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == AuditCheckNames.StepsContiguous);
        Assert.Equal("fail", contiguous.GetProperty("status").GetString());
        Assert.True(contiguous.GetProperty("required").GetBoolean());
        Assert.Equal(["name", "status", "required", "reason", "evidence"], contiguous.EnumerateObject().Select(p => p.Name));
        Assert.Equal(report.Checks.Count, root.GetProperty("summary").EnumerateObject().Sum(p => p.Value.GetInt32()));
    }

    [Fact]
    public async Task Could_not_run_report_says_why_with_exit_code_2()
    {
        using SecretKey key = SecretKey.Generate();
        MappedTrajectory run = SampleRun.Publish(key, "run-json-2").Mapped;
        using var archive = new TestArchive(run.Events, run);
        AuditReport report = await archive.AuditAsync(key.PublicKey.Hex, "some-other-run");
        using JsonDocument doc = JsonDocument.Parse(JsonReportWriter.ToJson(report));
        Assert.Equal("could_not_run", doc.RootElement.GetProperty("verdict").GetString());
        Assert.Equal(2, doc.RootElement.GetProperty("exit_code").GetInt32());
        Assert.Contains("some-other-run", doc.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("session").ValueKind);
    }
}
