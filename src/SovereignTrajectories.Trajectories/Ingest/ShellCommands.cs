using System.Text.Json;
using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Trajectories.Ingest;

/// <summary>
/// Finds the shell command in a tool call's arguments and classifies it against
/// <see cref="VerificationRules"/>, looking through <c>cd x &amp;&amp;</c>, environment assignments and
/// runner wrappers (<c>npx</c>, <c>uv run</c>, <c>python -m</c>, <c>timeout 60</c>, ...).
/// </summary>
public static class ShellCommands
{
    private static readonly string[] CommandKeys = ["command", "cmd", "script", "commandLine"];

    /// <summary>
    /// The command line in <paramref name="inputJson"/> (a string, or an argv array such as
    /// <c>["bash","-lc","pytest -q"]</c>), or null when the arguments hold none.
    /// </summary>
    public static string? FindCommand(string? inputJson)
    {
        if (string.IsNullOrEmpty(inputJson) || inputJson[0] != '{')
        {
            return null;
        }

        try
        {
            using JsonDocument doc = JsonDocument.Parse(inputJson, new JsonDocumentOptions { MaxDepth = 64 });
            return FindCommand(doc.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The command line held by the arguments object <paramref name="input"/>, or null.</summary>
    public static string? FindCommand(JsonElement input)
    {
        if (input.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (string key in CommandKeys)
        {
            if (!input.TryGetProperty(key, out JsonElement value))
            {
                continue;
            }

            if (value.ValueKind == JsonValueKind.String)
            {
                return value.GetString();
            }

            if (value.ValueKind == JsonValueKind.Array)
            {
                var argv = new List<string>();
                foreach (JsonElement item in value.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String)
                    {
                        return null;
                    }

                    argv.Add(item.GetString()!);
                }

                return FromArgv(argv);
            }
        }

        return null;
    }

    /// <summary>The kind of verification <paramref name="command"/> runs, or null when it runs none. Tests outrank builds outrank lints.</summary>
    public static VerificationKind? Classify(string? command, VerificationRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        if (string.IsNullOrWhiteSpace(command))
        {
            return null;
        }

        VerificationKind? best = null;
        foreach (string segment in SplitSegments(command))
        {
            List<string> words = StripWrappers(Tokenize(segment));
            if (words.Count == 0)
            {
                continue;
            }

            VerificationKind? kind = rules.Match(words);
            if (kind is null && words[0].Contains('/', StringComparison.Ordinal))
            {
                words[0] = words[0][(words[0].LastIndexOf('/') + 1)..]; // node_modules/.bin/jest -> jest
                kind = rules.Match(words);
            }

            if (kind is not null && (best is null || Rank(kind.Value) < Rank(best.Value)))
            {
                best = kind;
            }
        }

        return best;
    }

    private static int Rank(VerificationKind kind) => kind switch
    {
        VerificationKind.Test => 0,
        VerificationKind.Build => 1,
        VerificationKind.Lint => 2,
        _ => 3,
    };

    private static string FromArgv(List<string> argv)
    {
        // ["bash", "-lc", "cd x && pytest"] carries the real command line in its last element.
        if (argv.Count >= 3 && argv[0] is "bash" or "sh" or "zsh" or "/bin/bash" or "/bin/sh" or "/bin/zsh"
            && argv[^2] is "-c" or "-lc" or "-ic" or "-euc" or "-ec")
        {
            return argv[^1];
        }

        return string.Join(' ', argv);
    }

    private static IEnumerable<string> SplitSegments(string command)
    {
        int start = 0;
        for (int i = 0; i < command.Length; i++)
        {
            char c = command[i];
            if (c is ';' or '\n' or '|' or '&' or '(' or ')')
            {
                if (i > start)
                {
                    yield return command[start..i];
                }

                start = i + 1;
            }
        }

        if (start < command.Length)
        {
            yield return command[start..];
        }
    }

    private static List<string> Tokenize(string segment)
    {
        var words = new List<string>();
        foreach (string raw in segment.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries))
        {
            string word = raw.Trim('"', '\'', '`');
            if (word.Length > 0)
            {
                words.Add(word);
            }
        }

        return words;
    }

    private static List<string> StripWrappers(List<string> words)
    {
        int i = 0;
        while (i < words.Count)
        {
            string w = words[i];
            if (w.Contains('=', StringComparison.Ordinal) && !w.StartsWith('-') && w.IndexOf('=', StringComparison.Ordinal) > 0)
            {
                i++; // FOO=1 pytest
            }
            else if (w is "sudo" or "time" or "env" or "exec" or "nice" or "command" or "npx" or "bunx" or "pnpx" or "xvfb-run")
            {
                i++;
            }
            else if (w is "timeout" && i + 1 < words.Count)
            {
                i += 2;
            }
            else if (w is "uv" or "poetry" or "pipenv" or "pdm" or "hatch" or "rye" && i + 1 < words.Count && words[i + 1] == "run")
            {
                i += 2;
            }
            else if (w.StartsWith("python", StringComparison.Ordinal) && i + 2 < words.Count && words[i + 1] == "-m")
            {
                i += 2; // python -m pytest
            }
            else
            {
                break;
            }
        }

        return words.GetRange(i, words.Count - i);
    }
}
