using System.Security.Cryptography;
using System.Text.Json;
using SovereignTrajectories.Trajectories.Verification;

namespace SovereignTrajectories.Trajectories.Tests.Verification;

public sealed class TestResultStatementTests
{
    private const string Commit = "d20ace7968ba43c0219f62d71334c1095bab1602";

    private static TestRunInfo Passing => new("dotnet test", "test", 0, 12, 0, 1)
    {
        Repo = "https://example.org/repo.git",
        Sha = Commit,
        PassedTests = ["A.one", "A.two"],
    };

    [Fact]
    public void Statement_is_an_in_toto_v1_test_result_with_the_commit_as_subject()
    {
        TestResultStatement statement = TestResultStatement.Create(Passing);
        using JsonDocument doc = JsonDocument.Parse(statement.Bytes);
        JsonElement root = doc.RootElement;
        Assert.Equal("https://in-toto.io/Statement/v1", root.GetProperty("_type").GetString());
        Assert.Equal("https://in-toto.io/attestation/test-result/v0.1", root.GetProperty("predicateType").GetString());
        JsonElement subject = root.GetProperty("subject")[0];
        Assert.Equal("https://example.org/repo.git", subject.GetProperty("name").GetString());
        Assert.Equal(Commit, subject.GetProperty("digest").GetProperty("gitCommit").GetString());
        JsonElement predicate = root.GetProperty("predicate");
        Assert.Equal("PASSED", predicate.GetProperty("result").GetString());
        Assert.Equal("dotnet test", predicate.GetProperty("configuration")[0].GetProperty("name").GetString());
        Assert.Equal(12, predicate.GetProperty("configuration")[0].GetProperty("annotations").GetProperty("passed").GetInt32());
        Assert.Equal(["A.one", "A.two"], predicate.GetProperty("passedTests").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(0, predicate.GetProperty("failedTests").GetArrayLength());
        Assert.Equal(0, predicate.GetProperty("warnedTests").GetArrayLength());
        Assert.Equal(["_type", "subject", "predicateType", "predicate"], root.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Sha256_is_the_hash_of_the_exact_bytes()
    {
        TestResultStatement statement = TestResultStatement.Create(Passing);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(statement.Bytes)), statement.Sha256);
        Assert.Equal(statement.Sha256, TestResultStatement.HashBytes(statement.Bytes));
    }

    [Fact]
    public void Bytes_are_compact_and_deterministic()
    {
        byte[] first = TestResultStatement.Create(Passing).Bytes;
        byte[] second = TestResultStatement.Create(Passing).Bytes;
        Assert.Equal(first, second);
        Assert.DoesNotContain((byte)'\n', first);
        Assert.DoesNotContain("\": ", System.Text.Encoding.UTF8.GetString(first), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 0, "FAILED")]
    [InlineData(0, 2, "FAILED")]
    [InlineData(0, 0, "PASSED")]
    public void Result_is_failed_on_nonzero_exit_or_failed_tests(int exitCode, int failed, string expected)
    {
        TestResultStatement statement = TestResultStatement.Create(Passing with { ExitCode = exitCode, Failed = failed });
        Assert.Equal(expected, statement.Result);
        Assert.Contains($"\"result\":\"{expected}\"", System.Text.Encoding.UTF8.GetString(statement.Bytes), StringComparison.Ordinal);
    }

    [Fact]
    public void Warned_tests_make_the_result_warned()
    {
        Assert.Equal("WARNED", TestResultStatement.Create(Passing with { WarnedTests = ["lint.rule"] }).Result);
    }

    [Fact]
    public void Output_digest_is_the_subject_when_there_is_no_commit()
    {
        string output = new('a', 64);
        TestResultStatement statement = TestResultStatement.Create(
            new TestRunInfo("npm run build", "build", 0, 0, 0, 0) { OutputSha256 = output });
        using JsonDocument doc = JsonDocument.Parse(statement.Bytes);
        Assert.Equal(output, doc.RootElement.GetProperty("subject")[0].GetProperty("digest").GetProperty("sha256").GetString());
    }

    [Fact]
    public void Different_runs_have_different_hashes()
    {
        Assert.NotEqual(TestResultStatement.Create(Passing).Sha256, TestResultStatement.Create(Passing with { Failed = 1 }).Sha256);
    }

    [Fact]
    public void Command_digest_is_the_subject_when_there_is_neither_commit_nor_output()
    {
        TestResultStatement statement = TestResultStatement.Create(new TestRunInfo("make", "build", 0, 0, 0, 0));
        using JsonDocument doc = JsonDocument.Parse(statement.Bytes);
        JsonElement subject = Assert.Single(doc.RootElement.GetProperty("subject").EnumerateArray());
        Assert.Equal("command", subject.GetProperty("name").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData("make"u8)), subject.GetProperty("digest").GetProperty("sha256").GetString());
    }

    [Fact]
    public void Rejects_an_unknown_kind_naming_it()
    {
        ArgumentException ex = Assert.Throws<ArgumentException>(() => TestResultStatement.Create(Passing with { Kind = "fuzz" }));
        Assert.Contains("'fuzz'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_bad_commit_and_negative_counts()
    {
        Assert.Contains("sha 'xyz'", Assert.Throws<ArgumentException>(() => TestResultStatement.Create(Passing with { Sha = "xyz" })).Message, StringComparison.Ordinal);
        Assert.Contains("negative", Assert.Throws<ArgumentException>(() => TestResultStatement.Create(Passing with { Skipped = -1 })).Message, StringComparison.Ordinal);
        Assert.Contains("command", Assert.Throws<ArgumentException>(() => TestResultStatement.Create(Passing with { Command = " " })).Message, StringComparison.Ordinal);
    }
}
