using SovereignTrajectories.Trajectories.Ingest;

namespace SovereignTrajectories.Trajectories.Tests.Ingest;

public sealed class TestOutputParserTests
{
    [Theory]
    [InlineData("FAILED tests/test_a.py::test_x - assert 1 == 2\n==== 1 failed, 3 passed, 2 skipped in 0.12s ====", 3, 1, 2)]
    [InlineData("....\n4 passed in 0.03s\n", 4, 0, 0)]
    [InlineData("== 2 passed, 1 error in 1.01s ==", 2, 1, 0)]
    [InlineData("Passed!  - Failed:     0, Passed:    12, Skipped:     1, Total:    13, Duration: 45 ms - A.Tests.dll (net10.0)", 12, 0, 1)]
    [InlineData("Failed!  - Failed:     2, Passed:    10, Skipped:     0, Total:    12 - A.dll\nPassed!  - Failed:     0, Passed:     5, Skipped:     0, Total:     5 - B.dll", 15, 2, 0)]
    [InlineData("Test summary: total: 7, failed: 1, succeeded: 6, skipped: 0, duration: 1.2s", 6, 1, 0)]
    [InlineData("running 5 tests\ntest result: ok. 5 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out", 5, 0, 1)]
    [InlineData("test result: FAILED. 3 passed; 2 failed; 0 ignored; 0 measured\ntest result: ok. 1 passed; 0 failed; 0 ignored; 0 measured", 4, 2, 0)]
    [InlineData("Test Suites: 1 failed, 1 total\nTests:       1 failed, 4 passed, 5 total\nSnapshots:   0 total", 4, 1, 0)]
    [InlineData(" Test Files  1 passed (1)\n      Tests  2 failed | 7 passed | 1 skipped (10)", 7, 2, 1)]
    [InlineData("  3 passing (12ms)\n  1 failing\n  2 pending", 3, 1, 2)]
    [InlineData("=== RUN   TestA\n--- PASS: TestA (0.00s)\n=== RUN   TestB\n--- FAIL: TestB (0.00s)\nFAIL\nFAIL\texample.com/calc\t0.002s", 1, 1, 0)]
    [InlineData("ok  \texample.com/calc\t0.002s\nok  \texample.com/calc/sub\t0.001s", 2, 0, 0)]
    public void Reads_counts_from_the_runner_summary(string output, int passed, int failed, int skipped)
    {
        TestCounts counts = TestOutputParser.Parse(output);
        Assert.True(counts.Found);
        Assert.Equal((passed, failed, skipped), (counts.Passed, counts.Failed, counts.Skipped));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Build succeeded.\n    0 Warning(s)\n    0 Error(s)")]
    [InlineData("compiled 12 files")]
    public void Finds_no_counts_where_the_output_shows_none(string output) =>
        Assert.False(TestOutputParser.Parse(output).Found);
}
