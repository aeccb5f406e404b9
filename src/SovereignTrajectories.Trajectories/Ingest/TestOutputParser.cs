using System.Globalization;
using System.Text.RegularExpressions;

namespace SovereignTrajectories.Trajectories.Ingest;

/// <summary>
/// Reads test counts from the summary lines common runners print: dotnet test, cargo test,
/// jest/vitest, mocha, pytest and go test. The first runner whose summary appears wins; several
/// summaries of one runner (several projects or crates) are added up.
/// </summary>
public static partial class TestOutputParser
{
    /// <summary>Counts shown in <paramref name="output"/>, or <see cref="TestCounts.None"/>.</summary>
    public static TestCounts Parse(string? output)
    {
        if (string.IsNullOrEmpty(output))
        {
            return TestCounts.None;
        }

        // Cheap substring checks first: most outputs match no runner, and regexes over long outputs add up.
        return (Has(output, "!  - Failed:") || Has(output, "! - Failed:") ? DotnetClassic(output) : null)
            ?? (Has(output, "Test summary: total:") ? DotnetSummary(output) : null)
            ?? (Has(output, "test result: ") ? Cargo(output) : null)
            ?? (Has(output, "Tests") ? Jest(output) : null)
            ?? (Has(output, " passing") ? Mocha(output) : null)
            ?? (Has(output, " in ") && (Has(output, " passed") || Has(output, " failed") || Has(output, " error")) ? Pytest(output) : null)
            ?? (Has(output, "--- ") || Has(output, "ok ") || Has(output, "FAIL") ? Go(output) : null)
            ?? TestCounts.None;
    }

    private static bool Has(string output, string marker) => output.Contains(marker, StringComparison.Ordinal);

    private static TestCounts? DotnetClassic(string output)
    {
        MatchCollection matches = DotnetClassicRegex().Matches(output);
        if (matches.Count == 0)
        {
            return null;
        }

        int failed = 0, passed = 0, skipped = 0;
        foreach (Match m in matches)
        {
            failed = Add(failed, m.Groups[1].Value);
            passed = Add(passed, m.Groups[2].Value);
            skipped = Add(skipped, m.Groups[3].Value);
        }

        return new TestCounts(passed, failed, skipped, true);
    }

    private static TestCounts? DotnetSummary(string output)
    {
        MatchCollection matches = DotnetSummaryRegex().Matches(output);
        if (matches.Count == 0)
        {
            return null;
        }

        int failed = 0, passed = 0, skipped = 0;
        foreach (Match m in matches)
        {
            failed = Add(failed, m.Groups[1].Value);
            passed = Add(passed, m.Groups[2].Value);
            skipped = Add(skipped, m.Groups[3].Value);
        }

        return new TestCounts(passed, failed, skipped, true);
    }

    private static TestCounts? Cargo(string output)
    {
        MatchCollection matches = CargoRegex().Matches(output);
        if (matches.Count == 0)
        {
            return null;
        }

        int failed = 0, passed = 0, skipped = 0;
        foreach (Match m in matches)
        {
            passed = Add(passed, m.Groups[1].Value);
            failed = Add(failed, m.Groups[2].Value);
            skipped = Add(skipped, m.Groups[3].Value);
        }

        return new TestCounts(passed, failed, skipped, true);
    }

    private static TestCounts? Jest(string output)
    {
        Match line = JestLineRegex().Match(output);
        return line.Success ? CountWords(line.Groups[1].Value) : null;
    }

    private static TestCounts? Mocha(string output)
    {
        Match passing = MochaRegex().Match(output);
        if (!passing.Success)
        {
            return null;
        }

        int passed = Add(0, passing.Groups[1].Value);
        Match failing = MochaFailingRegex().Match(output);
        Match pending = MochaPendingRegex().Match(output);
        return new TestCounts(
            passed,
            failing.Success ? Add(0, failing.Groups[1].Value) : 0,
            pending.Success ? Add(0, pending.Groups[1].Value) : 0,
            true);
    }

    private static TestCounts? Pytest(string output)
    {
        // The final summary line: "==== 1 failed, 3 passed, 1 skipped in 0.12s ====" or the -q form without rules.
        MatchCollection lines = PytestLineRegex().Matches(output);
        return lines.Count == 0 ? null : CountWords(lines[^1].Groups[1].Value);
    }

    private static TestCounts? Go(string output)
    {
        int passed = GoPassRegex().Count(output);
        int failed = GoFailRegex().Count(output);
        int skipped = GoSkipRegex().Count(output);
        if (passed + failed + skipped > 0)
        {
            return new TestCounts(passed, failed, skipped, true);
        }

        // Without -v go test prints one line per package: count packages.
        int okPackages = GoOkPackageRegex().Count(output);
        int failPackages = GoFailPackageRegex().Count(output);
        return okPackages + failPackages > 0 ? new TestCounts(okPackages, failPackages, 0, true) : null;
    }

    private static TestCounts CountWords(string text)
    {
        int passed = 0, failed = 0, skipped = 0;
        foreach (Match m in CountWordRegex().Matches(text))
        {
            switch (m.Groups[2].Value.ToLowerInvariant())
            {
                case "passed" or "xpassed":
                    passed = Add(passed, m.Groups[1].Value);
                    break;
                case "failed" or "error" or "errors":
                    failed = Add(failed, m.Groups[1].Value);
                    break;
                case "skipped" or "xfailed" or "todo" or "pending":
                    skipped = Add(skipped, m.Groups[1].Value);
                    break;
            }
        }

        return new TestCounts(passed, failed, skipped, true);
    }

    private static int Add(int total, string digits) =>
        int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? (int)Math.Min((long)total + n, int.MaxValue) : total;

    [GeneratedRegex(@"(?:Passed|Failed)!\s*-\s*Failed:\s*(\d{1,9}),\s*Passed:\s*(\d{1,9}),\s*Skipped:\s*(\d{1,9})")]
    private static partial Regex DotnetClassicRegex();

    [GeneratedRegex(@"Test summary: total: \d{1,9}, failed: (\d{1,9}), succeeded: (\d{1,9}), skipped: (\d{1,9})")]
    private static partial Regex DotnetSummaryRegex();

    [GeneratedRegex(@"test result: (?:ok|FAILED)\. (\d{1,9}) passed; (\d{1,9}) failed; (\d{1,9}) ignored")]
    private static partial Regex CargoRegex();

    [GeneratedRegex(@"^\s*Tests:?\s+(.*\d+ (?:passed|failed).*)$", RegexOptions.Multiline)]
    private static partial Regex JestLineRegex();

    [GeneratedRegex(@"^\s*(\d{1,9}) passing\b", RegexOptions.Multiline)]
    private static partial Regex MochaRegex();

    [GeneratedRegex(@"^\s*(\d{1,9}) failing\b", RegexOptions.Multiline)]
    private static partial Regex MochaFailingRegex();

    [GeneratedRegex(@"^\s*(\d{1,9}) pending\b", RegexOptions.Multiline)]
    private static partial Regex MochaPendingRegex();

    [GeneratedRegex(@"^=*\s*((?:\d+ (?:passed|failed|skipped|errors?|xfailed|xpassed|deselected|warnings?)(?:, )?)+) in [\d.]+s\b.*$", RegexOptions.Multiline)]
    private static partial Regex PytestLineRegex();

    [GeneratedRegex(@"(\d{1,9}) (passed|failed|skipped|errors?|xfailed|xpassed|todo|pending)\b", RegexOptions.IgnoreCase)]
    private static partial Regex CountWordRegex();

    [GeneratedRegex(@"^\s*--- PASS: ", RegexOptions.Multiline)]
    private static partial Regex GoPassRegex();

    [GeneratedRegex(@"^\s*--- FAIL: ", RegexOptions.Multiline)]
    private static partial Regex GoFailRegex();

    [GeneratedRegex(@"^\s*--- SKIP: ", RegexOptions.Multiline)]
    private static partial Regex GoSkipRegex();

    [GeneratedRegex(@"^ok\s+\S+", RegexOptions.Multiline)]
    private static partial Regex GoOkPackageRegex();

    [GeneratedRegex(@"^FAIL\s+\S+", RegexOptions.Multiline)]
    private static partial Regex GoFailPackageRegex();
}
