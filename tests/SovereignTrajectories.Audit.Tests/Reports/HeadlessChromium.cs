using System.Diagnostics;

namespace SovereignTrajectories.Audit.Tests.Reports;

/// <summary>Debian's headless Chromium, run once per call with a fresh profile: dump the rendered DOM or take a screenshot.</summary>
internal static class HeadlessChromium
{
    public const string Executable = "/usr/bin/chromium";

    public static bool IsInstalled => File.Exists(Executable);

    public static Task<string> DumpDomAsync(string htmlFile) => RunAsync(htmlFile, "--dump-dom");

    public static async Task<byte[]> ScreenshotAsync(string htmlFile)
    {
        string png = Path.Combine(Path.GetTempPath(), $"sovtraj-report-{Guid.NewGuid():N}.png");
        try
        {
            await RunAsync(htmlFile, "--screenshot=" + png, "--window-size=1280,2000");
            return await File.ReadAllBytesAsync(png);
        }
        finally
        {
            File.Delete(png);
        }
    }

    private static async Task<string> RunAsync(string htmlFile, params string[] extra)
    {
        string profile = Directory.CreateTempSubdirectory("sovtraj-chromium-").FullName;
        try
        {
            var psi = new ProcessStartInfo(Executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string arg in (string[])[
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, .. extra, new Uri(htmlFile).AbsoluteUri])
            {
                psi.ArgumentList.Add(arg);
            }

            using Process p = Process.Start(psi) ?? throw new InvalidOperationException("chromium did not start");
            Task<string> stdout = p.StandardOutput.ReadToEndAsync();
            Task<string> stderr = p.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            try
            {
                await p.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                p.Kill(entireProcessTree: true);
                throw new TimeoutException("chromium did not finish within 3 minutes: " + await stderr);
            }

            string output = await stdout;
            Assert.True(p.ExitCode == 0, $"chromium exited {p.ExitCode}: {await stderr}");
            return output;
        }
        finally
        {
            try
            {
                Directory.Delete(profile, recursive: true);
            }
            catch (IOException)
            {
                // Chromium may still hold a lock file for a moment; a stray temp folder is harmless.
            }
        }
    }
}
