using System.Text.Json.Nodes;
using SovereignTrajectories.Trajectories.Redaction;

namespace SovereignTrajectories.Trajectories.Tests.Redaction;

public sealed class RedactorTests
{
    private readonly Redactor _redactor = new();

    public static TheoryData<string> SecretCaseNames()
    {
        TheoryData<string> data = [];
        foreach (SecretCorpus.Case c in SecretCorpus.All)
        {
            data.Add(c.Name);
        }

        return data;
    }

    public static TheoryData<string> LookAlikeNames()
    {
        TheoryData<string> data = [];
        foreach (LookAlikeCorpus.Case c in LookAlikeCorpus.All)
        {
            data.Add(c.Name);
        }

        return data;
    }

    [Fact]
    public void Secret_corpus_has_at_least_40_shapes()
    {
        Assert.True(SecretCorpus.All.Count >= 40, $"only {SecretCorpus.All.Count} cases");
        Assert.Equal(SecretCorpus.All.Count, SecretCorpus.All.Select(c => c.Name).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(SecretCaseNames))]
    public void No_secret_survives_redaction_and_the_report_never_holds_it(string name)
    {
        SecretCorpus.Case c = SecretCorpus.All.Single(x => x.Name == name);
        Assert.Contains(c.Secret, c.Text, StringComparison.Ordinal);
        RedactionReport report = new();
        string redacted = _redactor.RedactText(c.Text, "step 3 tool output", report);

        Assert.DoesNotContain(c.Secret, redacted, StringComparison.Ordinal);
        Assert.Contains("[REDACTED", redacted, StringComparison.Ordinal);
        Assert.Equal(c.Rule, Assert.Single(report.Findings).Rule);
        Assert.All(report.Findings, f => Assert.Equal("step 3 tool output", f.Location));
        string json = report.ToJson();
        Assert.DoesNotContain(c.Secret, json, StringComparison.Ordinal);
        Assert.DoesNotContain(c.Secret[..Math.Min(12, c.Secret.Length)], json, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SecretCaseNames))]
    public void Secret_inside_a_json_string_value_is_redacted(string name)
    {
        SecretCorpus.Case c = SecretCorpus.All.Single(x => x.Name == name);
        JsonObject step = new() { ["name"] = "bash", ["output"] = c.Text };
        RedactionReport report = new();
        JsonNode? redacted = _redactor.RedactJson(step, "step 9", report);

        Assert.DoesNotContain(c.Secret, redacted!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains(report.Findings, f => f.Location == "step 9/output");
        Assert.Equal(c.Text, step["output"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(LookAlikeNames))]
    public void Look_alikes_come_out_untouched(string name)
    {
        LookAlikeCorpus.Case c = LookAlikeCorpus.All.Single(x => x.Name == name);
        RedactedText result = _redactor.RedactText(c.Text, "look-alike");
        Assert.Equal(c.Text, result.Text);
        Assert.Empty(result.Findings);
        Assert.False(result.Changed);
    }

    [Fact]
    public void Replaced_spans_point_at_the_secret_in_the_original()
    {
        string secret = "ghp_" + new string('a', 18) + new string('7', 18);
        RedactedText result = new Redactor().RedactText("clone " + secret + " end", "loc");
        RedactionFinding finding = Assert.Single(result.Findings);
        Assert.Equal("github_token", finding.Rule);
        Assert.Equal(6, finding.Start);
        Assert.Equal(secret.Length, finding.Length);
        Assert.Equal("clone [REDACTED:github_token] end", result.Text);
    }

    [Fact]
    public void Many_secrets_in_one_output_are_all_replaced_in_order()
    {
        string[] secrets = Enumerable.Range(0, 2000).Select(i => "ghp_" + i.ToString("D36", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        string text = string.Join("\nAuthorization: Bearer abc123def456ghi\n", secrets);
        RedactedText result = _redactor.RedactText(text, "log");
        Assert.Equal(2000 + 1999, result.Findings.Count);
        Assert.Equal(result.Findings.OrderBy(f => f.Start).Select(f => f.Start), result.Findings.Select(f => f.Start));
        Assert.All(secrets, s => Assert.DoesNotContain(s, result.Text, StringComparison.Ordinal));
        Assert.DoesNotContain("abc123def456ghi", result.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Bearer_prefix_and_json_keys_stay_readable()
    {
        string token = "abc123DEF456ghi789JKL";
        Assert.Equal("Authorization: Bearer [REDACTED:authorization_header]", _redactor.RedactText("Authorization: Bearer " + token, "h").Text);
        Assert.Equal("{\"password\": \"[REDACTED:secret_assignment]\"}", _redactor.RedactText("{\"password\": \"hunter2hunter2\"}", "t").Text);
    }

    [Theory]
    [InlineData("password")]
    [InlineData("db_password")]
    [InlineData("passwd")]
    [InlineData("client_secret")]
    [InlineData("clientSecret")]
    [InlineData("token")]
    [InlineData("access_token")]
    [InlineData("refreshToken")]
    [InlineData("api_key")]
    [InlineData("apiKey")]
    [InlineData("apikey")]
    [InlineData("X-Api-Key")]
    [InlineData("OPENAI_API_KEY")]
    [InlineData("Authorization")]
    [InlineData("proxy-authorization")]
    [InlineData("auth")]
    [InlineData("credentials")]
    [InlineData("private_key")]
    [InlineData("privateKey")]
    [InlineData("aws_secret_access_key")]
    [InlineData("AccessKey")]
    [InlineData("seed")]
    [InlineData("mnemonic")]
    [InlineData("nsec")]
    [InlineData("cookie")]
    [InlineData("Set-Cookie")]
    [InlineData("session_token")]
    [InlineData("connection_string")]
    public void Keys_naming_secrets_are_recognised(string key)
    {
        Assert.True(_redactor.KeyNames.IsSecret(key), key);
    }

    [Theory]
    [InlineData("tokens_in")]
    [InlineData("tokens_out")]
    [InlineData("max_tokens")]
    [InlineData("maxTokens")]
    [InlineData("input_token")]
    [InlineData("token_count")]
    [InlineData("token_type")]
    [InlineData("author")]
    [InlineData("authority")]
    [InlineData("authored")]
    [InlineData("oauth")]
    [InlineData("key")]
    [InlineData("keyboard")]
    [InlineData("primary_key")]
    [InlineData("tokenizer")]
    [InlineData("secretary")]
    [InlineData("password_policy")]
    [InlineData("api_key_env")]
    [InlineData("passport")]
    [InlineData("seedling")]
    [InlineData("")]
    public void Keys_that_only_resemble_secret_names_are_not_secret(string key)
    {
        Assert.False(_redactor.KeyNames.IsSecret(key), key);
    }

    [Fact]
    public void Values_under_secret_keys_become_redacted_in_json()
    {
        JsonNode input = JsonNode.Parse("""
            {"headers":{"Authorization":"Basic Zm9vOmJhcg==","Accept":"*/*"},
             "config":{"api_key":"plainvalue","tokens_in":12,"max_tokens":100,"author":"Jane","password":null,"secret":"","has_token":true},
             "credentials":{"user":"u","pass":"p"},
             "list":[{"seed":42}]}
            """)!;
        RedactionReport report = new();
        JsonNode output = _redactor.RedactJson(input, "step 4 input", report)!;

        Assert.Equal("[REDACTED]", output["headers"]!["Authorization"]!.GetValue<string>());
        Assert.Equal("*/*", output["headers"]!["Accept"]!.GetValue<string>());
        Assert.Equal("[REDACTED]", output["config"]!["api_key"]!.GetValue<string>());
        Assert.Equal(12, output["config"]!["tokens_in"]!.GetValue<int>());
        Assert.Equal(100, output["config"]!["max_tokens"]!.GetValue<int>());
        Assert.Equal("Jane", output["config"]!["author"]!.GetValue<string>());
        Assert.Null(output["config"]!["password"]);
        Assert.Equal(string.Empty, output["config"]!["secret"]!.GetValue<string>());
        Assert.True(output["config"]!["has_token"]!.GetValue<bool>());
        Assert.Equal("[REDACTED]", output["credentials"]!.GetValue<string>());
        Assert.Equal("[REDACTED]", output["list"]![0]!["seed"]!.GetValue<string>());
        Assert.Equal(
            ["step 4 input/headers/Authorization", "step 4 input/config/api_key", "step 4 input/credentials", "step 4 input/list/0/seed"],
            report.Findings.Select(f => f.Location));
        Assert.All(report.Findings, f => Assert.Equal(Redactor.KeyRule, f.Rule));
        Assert.DoesNotContain("plainvalue", report.ToJson(), StringComparison.Ordinal);
        Assert.DoesNotContain("Zm9vOmJhcg", report.ToJson(), StringComparison.Ordinal);
        Assert.Equal("plainvalue", input["config"]!["api_key"]!.GetValue<string>());
    }

    [Fact]
    public void Json_pointer_escapes_slash_and_tilde_in_keys()
    {
        RedactionReport report = new();
        _redactor.RedactJson(JsonNode.Parse("{\"a/b~c\":{\"token\":\"xyz123456\"}}"), "s", report);
        Assert.Equal("s/a~1b~0c/token", Assert.Single(report.Findings).Location);
    }

    [Fact]
    public void Redacting_twice_changes_nothing_more()
    {
        foreach (SecretCorpus.Case c in SecretCorpus.All)
        {
            string once = _redactor.RedactText(c.Text, "x").Text;
            RedactedText twice = _redactor.RedactText(once, "x");
            Assert.Equal(once, twice.Text);
            Assert.Empty(twice.Findings);
        }
    }

    [Fact]
    public void Thinking_is_withheld_with_the_hash_of_the_original()
    {
        RedactionReport report = new();
        RedactedThinking thinking = _redactor.RedactThinking("I should check the tests first.", "step 2", report);
        Assert.Equal("<redacted>", thinking.Content);
        Assert.Equal(
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("I should check the tests first."u8)),
            thinking.Hash);
        Assert.Equal(Redactor.ThinkingRule, Assert.Single(report.Findings).Rule);
    }

    [Fact]
    public void Published_thinking_is_still_scanned_for_secrets()
    {
        Redactor redactor = new(new RedactionOptions { PublishThinking = true });
        RedactionReport report = new();
        string key = "sk-ant-api03-" + new string('Q', 40) + "12";
        RedactedThinking thinking = redactor.RedactThinking("The key is " + key + ", use it.", "step 2", report);
        Assert.Null(thinking.Hash);
        Assert.Equal("The key is [REDACTED:anthropic_key], use it.", thinking.Content);
    }

    [Fact]
    public void Extra_key_words_and_patterns_from_options_apply()
    {
        Redactor redactor = new(new RedactionOptions
        {
            ExtraSecretKeyWords = ["pin", "license_key"],
            ExtraPatterns = { ["internal_ticket_token"] = @"ITT-(?<secret>[0-9]{6})" },
        });
        Assert.True(redactor.KeyNames.IsSecret("user_pin"));
        Assert.True(redactor.KeyNames.IsSecret("licenseKey"));
        Assert.False(redactor.KeyNames.IsSecret("spinner"));
        Assert.Equal("ref ITT-[REDACTED:internal_ticket_token]", redactor.RedactText("ref ITT-123456", "x").Text);
    }

    [Fact]
    public void Rejects_an_invalid_extra_pattern_naming_it()
    {
        ArgumentException ex = Assert.Throws<ArgumentException>(
            () => new Redactor(new RedactionOptions { ExtraPatterns = { ["broken_rule"] = "(unclosed" } }));
        Assert.Contains("broken_rule", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_json_lists_location_rule_and_span_only()
    {
        RedactionReport report = new();
        report.Add(new RedactionFinding("step 1 output", "jwt", 4, 120));
        report.Add(new RedactionFinding("step 2 output", "jwt", 0, 100));
        report.Add(new RedactionFinding("step 2 input/api_key", "secret_key_name", 0, 10));
        Assert.Equal(
            "{\"version\":1,\"count\":3,\"by_rule\":{\"jwt\":2,\"secret_key_name\":1},\"findings\":["
            + "{\"location\":\"step 1 output\",\"rule\":\"jwt\",\"start\":4,\"length\":120},"
            + "{\"location\":\"step 2 output\",\"rule\":\"jwt\",\"start\":0,\"length\":100},"
            + "{\"location\":\"step 2 input/api_key\",\"rule\":\"secret_key_name\",\"start\":0,\"length\":10}]}",
            report.ToJson());
    }
}
