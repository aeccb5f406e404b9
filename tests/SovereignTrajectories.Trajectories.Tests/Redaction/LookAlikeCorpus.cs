
namespace SovereignTrajectories.Trajectories.Tests.Redaction;

/// <summary>Text that resembles secrets or secret-named keys but is not a secret; redaction must leave it byte for byte.</summary>
internal static class LookAlikeCorpus
{
    public sealed record Case(string Name, string Text)
    {
        public override string ToString() => Name;
    }

    public static IReadOnlyList<Case> All { get; } = Build();

    private static IReadOnlyList<Case> Build()
    {
        Random random = new(4242);
        byte[] Bytes(int n)
        {
            byte[] b = new byte[n];
            random.NextBytes(b);
            return b;
        }

        string hex40 = Convert.ToHexStringLower(Bytes(20));
        string hex64 = Convert.ToHexStringLower(Bytes(32));
        return
        [
            new("usage fields", "{\"tokens_in\": 1200, \"tokens_out\": 350, \"tokens_cached\": 0, \"max_tokens\": 4096, \"cost_usd\": 0.0123}"),
            new("token accounting", "input_tokens: 1200\noutput_tokens=88\ntoken_count: 5\nprompt_token: 3\nmax_token=100\ntoken_type: Bearer\n"),
            new("author", "{\"author\": \"Jane Doe\", \"authors\": [\"A\", \"B\"], \"authored\": true}"),
            new("authority", "authority: https://login.example.com/common\n\"authority\": \"ca.example.org\""),
            new("git sha", $"commit {hex40}\nAuthor: Jane Doe <jane@example.com>\n\"sha\": \"{hex40}\""),
            new("uuid", $"session_id: {new Guid(Bytes(16))}\nrequest-id={new Guid(Bytes(16))}"),
            new("base64 png", "<img src=\"data:image/png;base64," + Convert.ToBase64String(Bytes(3000)) + "\">"),
            new("sha256 hashes", $"\"output_sha256\": \"{hex64}\", \"input_hash\": \"{hex64}\", sha256:{hex64}"),
            new("npub", "npub1lycg5qvjtrp3qjf5f7zl382j9x6nrjz9sdhenvyxq8c3808qxmus6gq266 is the agent"),
            new("prose token and secret", "The tokenizer splits text into tokens, and each token costs money. The secret to good tests is that they fail. Bearer token auth is described in RFC 6750. Authorization is required."),
            new("npm integrity", "\"integrity\": \"sha512-" + Convert.ToBase64String(Bytes(64)) + "\","),
            new("descriptive secret keys", "{\"password_policy\": \"min 12\", \"token_url\": \"https://auth.example.com/token\", \"secret_name\": \"db-creds\", \"api_key_env\": \"OPENAI_API_KEY\"}"),
            new("env references", "password: ${DB_PASSWORD}\napi_key = process.env.OPENAI_API_KEY\ntoken: <your token here>"),
            new("urls without passwords", "https://user@example.com/path git@github.com:org/repo.git https://example.com/a?b=c"),
            new("stack trace", "   at App.Auth.TokenService.Refresh() in /src/Auth/TokenService.cs:line 42\n  File \"token_store.py:10\""),
            new("code identifiers", "const tokenizer = new Tokenizer(); if (isSecret) { keyboard.press('k'); } // auth flow"),
            new("ssh public key", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + Convert.ToBase64String(Bytes(32)).TrimEnd('=') + " user@host"),
            new("docker digest", $"image@sha256:{hex64}"),
            new("placeholders", "api_key: [REDACTED]\n\"password\": \"[REDACTED]\"\nthinking: <redacted>"),
            new("numbers and dates", "Elapsed 00:00:01.234, 2026-11-21T05:00:00Z, 1700000000, 3.14159"),
            new("kebab identifiers", "task-runner-config-loader, desk-lamp-assembly-guide"),
            new("primary key", "\"key\": \"name\", \"primary_key\": \"id\", \"keys\": [\"a\"]"),
        ];
    }
}
