using SovereignTrajectories.Audit.Reports;
using SovereignTrajectories.Audit.Tests.Tamper;
using SovereignTrajectories.Audit.Verification;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Trajectories.Mapping;

namespace SovereignTrajectories.Audit.Tests.Reports;

public sealed class HtmlReportTests
{
    [Fact]
    public async Task Html_report_is_self_contained_and_encodes_everything()
    {
        AuditReport report = await AuditAsync(dropStep: false);
        string html = HtmlReportWriter.Render(report);
        Assert.DoesNotContain("<script>alert(1)</script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html.Replace("https://example.com/repo.git", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("<link", html, StringComparison.Ordinal);
        Assert.DoesNotContain("src=", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Html_report_renders_in_headless_chromium_with_verdict_timeline_and_checks()
    {
        Assert.True(HeadlessChromium.IsInstalled, $"{HeadlessChromium.Executable} is required for this test (apt-get install chromium)");
        AuditReport report = await AuditAsync(dropStep: true);
        string file = Path.Combine(Path.GetTempPath(), $"sovtraj-report-{Guid.NewGuid():N}.html");
        try
        {
            HtmlReportWriter.Write(report, file);
            string dom = await HeadlessChromium.DumpDomAsync(file);
            Assert.Contains("id=\"verdict\" data-verdict=\"fail\"", dom, StringComparison.Ordinal);
            Assert.Contains("FAIL:", dom, StringComparison.Ordinal);
            Assert.Contains("id=\"timeline\"", dom, StringComparison.Ordinal);
            Assert.Contains("<details class=\"step", dom, StringComparison.Ordinal);
            Assert.Contains("id=\"verification\"", dom, StringComparison.Ordinal);
            Assert.Contains("id=\"claims\"", dom, StringComparison.Ordinal);
            Assert.Contains($"data-name=\"{AuditCheckNames.StepsContiguous}\" data-status=\"fail\"", dom, StringComparison.Ordinal);
            Assert.Contains(report.Trajectory!.SessionVersions[^1].Id, dom, StringComparison.Ordinal);
            Assert.Contains("\U0001F600", dom, StringComparison.Ordinal);

            byte[] png = await HeadlessChromium.ScreenshotAsync(file);
            Assert.True(png.Length > 10_000, $"screenshot is only {png.Length} bytes");
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<AuditReport> AuditAsync(bool dropStep)
    {
        using SecretKey key = SecretKey.Generate();
        MappedTrajectory run = SampleRun.Publish(key, "run-html", unicode: true).Mapped;
        using var archive = new TestArchive(dropStep ? run.Events.Where(e => e.Id != run.StepEvents[1].Id) : run.Events, run);
        return await archive.AuditAsync(key.PublicKey.Hex, "run-html");
    }
}
