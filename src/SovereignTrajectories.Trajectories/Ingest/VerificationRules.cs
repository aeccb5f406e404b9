using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Trajectories.Ingest;

/// <summary>
/// The set of command prefixes that make a tool call a verification run. The longest matching
/// prefix wins, so <c>make test</c> is a test and plain <c>make</c> a build.
/// </summary>
public sealed class VerificationRules
{
    public VerificationRules(IEnumerable<VerificationRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        Rules = rules.OrderByDescending(r => r.Words.Count).ToArray();
    }

    /// <summary>Rules, longest prefix first.</summary>
    public IReadOnlyList<VerificationRule> Rules { get; }

    /// <summary>Tests, builds and linters of the common ecosystems (.NET, Python, JS, Rust, Go, JVM, make).</summary>
    public static VerificationRules Default { get; } = new(DefaultRules());

    /// <summary>A copy with <paramref name="extra"/> rules added (e.g. a project's own <c>./ci.sh</c>).</summary>
    public VerificationRules With(params VerificationRule[] extra) => new(Rules.Concat(extra));

    /// <summary>The kind of the longest rule matching the words of <paramref name="words"/>, or null.</summary>
    public VerificationKind? Match(IReadOnlyList<string> words)
    {
        foreach (VerificationRule rule in Rules)
        {
            if (rule.Words.Count <= words.Count && MatchesAt(rule.Words, words))
            {
                return rule.Kind;
            }
        }

        return null;
    }

    private static bool MatchesAt(IReadOnlyList<string> prefix, IReadOnlyList<string> words)
    {
        for (int i = 0; i < prefix.Count; i++)
        {
            if (!string.Equals(prefix[i], words[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static IEnumerable<VerificationRule> DefaultRules()
    {
        const VerificationKind T = VerificationKind.Test;
        const VerificationKind B = VerificationKind.Build;
        const VerificationKind L = VerificationKind.Lint;
        (string, VerificationKind)[] rules =
        [
            ("dotnet test", T), ("dotnet build", B), ("dotnet format", L), ("dotnet publish", B),
            ("pytest", T), ("py.test", T), ("tox", T), ("nox", T),
            ("npm test", T), ("npm t", T), ("npm run test", T), ("npm run build", B), ("npm run lint", L), ("npm run typecheck", L),
            ("yarn test", T), ("yarn build", B), ("yarn lint", L), ("yarn run test", T), ("yarn run build", B), ("yarn run lint", L),
            ("pnpm test", T), ("pnpm build", B), ("pnpm lint", L), ("pnpm run test", T), ("pnpm run build", B), ("pnpm run lint", L),
            ("bun test", T), ("jest", T), ("vitest", T), ("mocha", T),
            ("cargo test", T), ("cargo nextest", T), ("cargo build", B), ("cargo check", B), ("cargo clippy", L), ("cargo fmt", L),
            ("go test", T), ("go build", B), ("go vet", L), ("golangci-lint", L), ("gofmt", L),
            ("make", B), ("make test", T), ("make check", T), ("make lint", L), ("make build", B),
            ("mvn test", T), ("mvn verify", T), ("mvn package", B), ("mvn compile", B), ("mvn install", B),
            ("gradle test", T), ("gradle build", B), ("gradle check", T), ("./gradlew test", T), ("./gradlew build", B), ("./gradlew check", T),
            ("tsc", B), ("eslint", L), ("prettier --check", L), ("ruff", L), ("ruff check", L), ("mypy", L), ("pyright", L),
            ("flake8", L), ("pylint", L), ("black --check", L), ("rspec", T), ("phpunit", T), ("ctest", T),
            ("swift test", T), ("swift build", B), ("bazel test", T), ("bazel build", B), ("deno test", T), ("deno lint", L),
        ];
        return rules.Select(r => new VerificationRule(r.Item1, r.Item2));
    }
}
