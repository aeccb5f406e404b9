using SovereignTrajectories.Trajectories.Ingest;
using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Trajectories.Tests.Ingest;

public sealed class ShellCommandsTests
{
    [Theory]
    [InlineData("dotnet test tests/A.Tests --filter X", VerificationKind.Test)]
    [InlineData("dotnet build -c Release", VerificationKind.Build)]
    [InlineData("cd /app && python -m pytest -q", VerificationKind.Test)]
    [InlineData("FOO=1 uv run pytest tests/", VerificationKind.Test)]
    [InlineData("npm test -- --watch=false", VerificationKind.Test)]
    [InlineData("pnpm run lint", VerificationKind.Lint)]
    [InlineData("yarn build", VerificationKind.Build)]
    [InlineData("cargo test --all", VerificationKind.Test)]
    [InlineData("cargo clippy -- -D warnings", VerificationKind.Lint)]
    [InlineData("go vet ./...", VerificationKind.Lint)]
    [InlineData("go test ./... 2>&1 | tail -20", VerificationKind.Test)]
    [InlineData("make", VerificationKind.Build)]
    [InlineData("make test", VerificationKind.Test)]
    [InlineData("./gradlew test", VerificationKind.Test)]
    [InlineData("npx tsc --noEmit", VerificationKind.Build)]
    [InlineData("npx eslint src", VerificationKind.Lint)]
    [InlineData("ruff check . && mypy src", VerificationKind.Lint)]
    [InlineData("timeout 60 ./node_modules/.bin/jest", VerificationKind.Test)]
    [InlineData("ruff check . ; pytest", VerificationKind.Test)]
    public void Classifies_test_build_and_lint_commands(string command, VerificationKind kind) =>
        Assert.Equal(kind, ShellCommands.Classify(command, VerificationRules.Default));

    [Theory]
    [InlineData("ls -la")]
    [InlineData("cat pytest.ini")]
    [InlineData("git commit -m 'make test pass'")]
    [InlineData("sed -n '1,40p' calc.py")]
    [InlineData("")]
    public void Leaves_other_commands_alone(string command) =>
        Assert.Null(ShellCommands.Classify(command, VerificationRules.Default));

    [Fact]
    public void Extra_rules_make_a_project_script_a_verification()
    {
        VerificationRules rules = VerificationRules.Default.With(new VerificationRule("./ci.sh", VerificationKind.Test));
        Assert.Equal(VerificationKind.Test, ShellCommands.Classify("./ci.sh --fast", rules));
        Assert.Null(ShellCommands.Classify("./ci.sh --fast", VerificationRules.Default));
    }

    [Theory]
    [InlineData("{\"command\":\"pytest -q\"}", "pytest -q")]
    [InlineData("{\"command\":[\"bash\",\"-lc\",\"cd x && pytest\"],\"workdir\":\"/w\"}", "cd x && pytest")]
    [InlineData("{\"cmd\":[\"cargo\",\"test\"]}", "cargo test")]
    [InlineData("{\"path\":\"a.py\"}", null)]
    [InlineData("\"just text\"", null)]
    public void Finds_the_command_in_tool_arguments(string inputJson, string? command) =>
        Assert.Equal(command, ShellCommands.FindCommand(inputJson));

    [Fact]
    public void Statement_built_for_a_verification_hashes_its_exact_bytes_and_fails_a_failing_run()
    {
        var tool = new ToolStep("Bash", "c1", "{\"command\":\"pytest\"}", "1 failed, 2 passed in 0.1s", false);
        VerificationStep v = VerificationExtractor.TryCreate(tool, IngestOptions.Default)!;
        Assert.Null(v.Statement);
        VerificationStep withStatement = VerificationExtractor.WithStatement(v);
        string json = System.Text.Encoding.UTF8.GetString(withStatement.Statement!.StatementBytes.Span);
        Assert.Contains("\"result\":\"FAILED\"", json, StringComparison.Ordinal);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(withStatement.Statement.StatementBytes.Span)), withStatement.StatementSha256Hex);
    }

    [Fact]
    public void No_verification_when_extraction_is_switched_off()
    {
        var tool = new ToolStep("Bash", "c1", "{\"command\":\"pytest\"}", "2 passed in 0.1s", true);
        Assert.NotNull(VerificationExtractor.TryCreate(tool, IngestOptions.Default));
        Assert.Null(VerificationExtractor.TryCreate(tool, new IngestOptions { ExtractVerification = false }));
    }
}
