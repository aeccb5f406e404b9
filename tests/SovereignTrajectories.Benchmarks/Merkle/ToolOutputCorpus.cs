using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace SovereignTrajectories.Benchmarks.Merkle;

/// <summary>
/// Generated stand-ins for what coding agents' tools print (source files, test logs, JSON API replies, listings,
/// package installs, diffs), with a fake secret in about one output in twenty.
/// </summary>
internal static class ToolOutputCorpus
{
    private const string Alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static string[] Build(Random random, int targetBytes)
    {
        List<string> outputs = [];
        int total = 0;
        while (total < targetBytes)
        {
            string output = random.Next(6) switch
            {
                0 => SourceFile(random),
                1 => TestLog(random),
                2 => ApiReply(random),
                3 => Listing(random),
                4 => NpmInstall(random),
                _ => Diff(random),
            };
            if (random.Next(20) == 0)
            {
                output += "\nexport GITHUB_TOKEN=ghp_" + Chars(random, 36) + "\n";
            }

            outputs.Add(output);
            total += output.Length;
        }

        return [.. outputs];
    }

    public static JsonNode[] BuildInputs(Random random, int count)
    {
        JsonNode[] inputs = new JsonNode[count];
        for (int i = 0; i < count; i++)
        {
            inputs[i] = new JsonObject
            {
                ["command"] = "rg -n \"" + Chars(random, 8) + "\" src/ --type cs",
                ["file_path"] = "/work/repo/src/" + Chars(random, 10) + "/" + Chars(random, 12) + ".cs",
                ["old_string"] = SourceLine(random, i),
                ["new_string"] = SourceLine(random, i + 1),
                ["options"] = new JsonObject { ["max_tokens"] = 4096, ["timeout_ms"] = 120000, ["api_key"] = i % 50 == 0 ? "k-" + Chars(random, 20) : null },
            };
        }

        return inputs;
    }

    private static string SourceFile(Random random)
    {
        StringBuilder b = new();
        int lines = random.Next(40, 400);
        for (int i = 0; i < lines; i++)
        {
            b.Append(CultureInfo.InvariantCulture, $"{i + 1,6}\t").AppendLine(SourceLine(random, i));
        }

        return b.ToString();
    }

    private static string SourceLine(Random random, int i) => (i % 7) switch
    {
        0 => "    public async Task<Result> " + Chars(random, 10) + "Async(CancellationToken cancellationToken)",
        1 => "    {",
        2 => "        var tokens = tokenizer.Encode(input); // count tokens_in before sending",
        3 => "        logger.LogInformation(\"processed {Count} items in {Elapsed} ms\", count, elapsed);",
        4 => "        if (author is null || authority.Length == 0) throw new ArgumentException(nameof(author));",
        5 => "        return await _client.SendAsync(request, cancellationToken).ConfigureAwait(false);",
        _ => "    }",
    };

    private static string TestLog(Random random)
    {
        StringBuilder b = new("Starting test execution, please wait...\n");
        int tests = random.Next(20, 300);
        for (int i = 0; i < tests; i++)
        {
            b.Append(CultureInfo.InvariantCulture, $"  Passed App.Tests.{Chars(random, 8)}Tests.Handles_{Chars(random, 12)}_case [{random.Next(1, 900)} ms]\n");
        }

        b.Append(CultureInfo.InvariantCulture, $"Passed!  - Failed: 0, Passed: {tests}, Skipped: 0, Total: {tests}, Duration: 3 s\n");
        return b.ToString();
    }

    private static string ApiReply(Random random)
    {
        StringBuilder b = new("{\"data\":[");
        int items = random.Next(5, 60);
        for (int i = 0; i < items; i++)
        {
            b.Append(CultureInfo.InvariantCulture,
                $"{{\"id\":\"{Guid.NewGuid()}\",\"sha\":\"{Hex(random, 40)}\",\"author\":\"dev{i}\",\"usage\":{{\"tokens_in\":{random.Next(10000)},\"tokens_out\":{random.Next(2000)}}},\"url\":\"https://api.example.com/v1/items/{i}\"}},");
        }

        b.Append("{}],\"next\":null}");
        return b.ToString();
    }

    private static string Listing(Random random)
    {
        StringBuilder b = new();
        int entries = random.Next(20, 200);
        for (int i = 0; i < entries; i++)
        {
            b.Append(CultureInfo.InvariantCulture, $"-rw-r--r--  1 agent agent {random.Next(100, 90000),8} Nov 21 05:{random.Next(60):D2} src/{Chars(random, 9)}/{Chars(random, 11)}.cs\n");
        }

        return b.ToString();
    }

    private static string NpmInstall(Random random)
    {
        StringBuilder b = new();
        int packages = random.Next(10, 120);
        for (int i = 0; i < packages; i++)
        {
            b.Append(CultureInfo.InvariantCulture,
                $"\"node_modules/{Chars(random, 7).ToLowerInvariant()}\": {{\"version\": \"1.{random.Next(30)}.{random.Next(10)}\", \"integrity\": \"sha512-{Convert.ToBase64String(Bytes(random, 64))}\"}},\n");
        }

        return b.ToString();
    }

    private static string Diff(Random random)
    {
        StringBuilder b = new($"diff --git a/src/App.cs b/src/App.cs\nindex {Hex(random, 7)}..{Hex(random, 7)} 100644\n");
        int hunks = random.Next(2, 20);
        for (int i = 0; i < hunks; i++)
        {
            b.Append(CultureInfo.InvariantCulture, $"@@ -{i * 10},7 +{i * 10},8 @@\n");
            b.Append('-').AppendLine(SourceLine(random, i));
            b.Append('+').AppendLine(SourceLine(random, i + 3));
            b.Append(' ').AppendLine(SourceLine(random, i + 5));
        }

        return b.ToString();
    }

    private static string Chars(Random random, int length)
    {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++)
        {
            chars[i] = Alnum[random.Next(Alnum.Length)];
        }

        return new string(chars);
    }

    private static string Hex(Random random, int length) => Convert.ToHexStringLower(Bytes(random, (length + 1) / 2))[..length];

    private static byte[] Bytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
