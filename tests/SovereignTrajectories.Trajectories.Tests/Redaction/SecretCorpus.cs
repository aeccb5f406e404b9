using System.Text;

namespace SovereignTrajectories.Trajectories.Tests.Redaction;

/// <summary>
/// Fake secrets in the shapes providers publish, generated from a seeded random source so no real-looking secret is
/// committed verbatim. Each case is a realistic snippet of tool output containing one secret.
/// </summary>
internal static class SecretCorpus
{
    private const string Alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private const string UrlSafe = Alnum + "-_";
    private const string Base64 = Alnum + "+/";
    private const string HexLower = "0123456789abcdef";
    private const string UpperDigits = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private const string Bech32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

    public sealed record Case(string Name, string Rule, string Text, string Secret)
    {
        public override string ToString() => Name;
    }

    public static IReadOnlyList<Case> All { get; } = Build();

    private static IReadOnlyList<Case> Build()
    {
        Random random = new(20261121);
        string R(string alphabet, int length)
        {
            StringBuilder b = new(length);
            for (int i = 0; i < length; i++)
            {
                b.Append(alphabet[random.Next(alphabet.Length)]);
            }

            return b.ToString();
        }

        // Guarantees at least one digit, as real keys of these kinds have.
        string RD(string alphabet, int length) => R(alphabet, length - 2) + random.Next(10, 99).ToString(System.Globalization.CultureInfo.InvariantCulture);

        string B64Url(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        List<Case> cases = [];
        void Add(string name, string rule, string secret, Func<string, string> context) => cases.Add(new Case(name, rule, context(secret), secret));

        Add("anthropic", "anthropic_key", "sk-ant-api03-" + RD(UrlSafe, 93) + "AA", s => $"export ANTHROPIC_API_KEY={s}\n");
        Add("anthropic in prose", "anthropic_key", "sk-ant-admin01-" + RD(UrlSafe, 80), s => $"The failing call used {s} which was revoked.");
        Add("openai legacy", "openai_key", "sk-" + RD(Alnum, 48), s => $"client = OpenAI(api_key=\"{s}\")");
        Add("openai project", "openai_key", "sk-proj-" + RD(UrlSafe, 156), s => $"Using key {s} for the request");
        Add("openai service account", "openai_key", "sk-svcacct-" + RD(UrlSafe, 120), s => $"[env] {s}");
        Add("google api key", "google_api_key", "AIza" + R(UrlSafe, 35), s => $"https://maps.googleapis.com/maps/api/geocode/json?address=x&key={s}");
        Add("google oauth", "google_oauth_token", "ya29." + RD(UrlSafe, 120), s => $"access token {s} expires in 3599");
        Add("github ghp", "github_token", "ghp_" + R(Alnum, 36), s => $"git clone https://x-access-token:{s}@github.com/org/repo.git");
        Add("github gho", "github_token", "gho_" + R(Alnum, 36), s => $"oauth: {s}");
        Add("github ghu", "github_token", "ghu_" + R(Alnum, 36), s => $"token {s} (user-to-server)");
        Add("github ghs", "github_token", "ghs_" + R(Alnum, 36), s => $"GITHUB_TOKEN is {s}");
        Add("github ghr", "github_token", "ghr_" + R(Alnum, 36), s => $"refresh {s}");
        Add("github fine-grained pat", "github_pat", "github_pat_" + R(Alnum, 22) + "_" + R(Alnum, 59), s => $"gh auth login --with-token <<< {s}");
        Add("gitlab", "gitlab_token", "glpat-" + R(UrlSafe, 20), s => $"GITLAB_TOKEN {s} set");
        Add("slack bot", "slack_token", "xoxb-" + RD("0123456789", 12) + "-" + RD("0123456789", 13) + "-" + R(Alnum, 24), s => $"slack {s}");
        Add("slack user", "slack_token", "xoxp-" + RD("0123456789", 12) + "-" + R(Alnum, 40), s => $"posting with {s}");
        Add("slack webhook", "slack_webhook", "https://hooks.slack.com/services/T" + R(UpperDigits, 8) + "/B" + R(UpperDigits, 10) + "/" + R(Alnum, 24), s => $"curl -X POST {s} -d '{{}}'");
        Add("discord webhook", "discord_webhook", "https://discord.com/api/webhooks/" + R("0123456789", 18) + "/" + R(UrlSafe, 68), s => $"webhook={s}".Replace("webhook=", "hook at ", StringComparison.Ordinal));
        Add("stripe live secret", "stripe_key", "sk_live_" + R(Alnum, 24), s => $"Stripe.api_key = '{s}'");
        Add("stripe restricted", "stripe_key", "rk_live_" + R(Alnum, 24), s => $"restricted {s}");
        Add("stripe test secret", "stripe_key", "sk_test_" + R(Alnum, 24), s => $"{{\"stripe\":\"{s}\"}}");
        Add("stripe webhook secret", "stripe_webhook_secret", "whsec_" + R(Alnum, 32), s => $"signing with {s}");
        Add("aws access key id", "aws_access_key_id", "AKIA" + R(UpperDigits, 16), s => $"aws_access_key_id = {s}");
        Add("aws temporary key id", "aws_access_key_id", "ASIA" + R(UpperDigits, 16), s => $"\"AccessKeyId\": \"{s}\",");
        Add("aws secret access key", "aws_secret_access_key", R(Alnum + "/+", 40), s => $"[default]\naws_secret_access_key = {s}\n");
        Add("aws secret in json", "aws_secret_access_key", R(Alnum + "/+", 40), s => $"{{\"Credentials\":{{\"SecretAccessKey\": \"{s}\"}}}}");
        Add("jwt", "jwt", "eyJ" + B64Url("{\"alg\":\"HS256\",\"typ\":\"JWT\"}")[3..] + "." + B64Url("{\"sub\":\"" + R(Alnum, 12) + "\",\"iat\":1700000000}") + "." + R(UrlSafe, 43), s => $"cookie value {s} found");
        Add("pem rsa", "private_key_pem", "-----BEGIN RSA PRIVATE KEY-----\n" + string.Join('\n', Enumerable.Range(0, 8).Select(_ => R(Base64, 64))) + "\n-----END RSA PRIVATE KEY-----", s => $"$ cat id_rsa\n{s}\n$ ");
        Add("pem openssh", "private_key_pem", "-----BEGIN OPENSSH PRIVATE KEY-----\n" + string.Join('\n', Enumerable.Range(0, 5).Select(_ => R(Base64, 70))) + "\n-----END OPENSSH PRIVATE KEY-----", s => s);
        Add("pem pkcs8 json-escaped", "private_key_pem", "-----BEGIN PRIVATE KEY-----\\n" + R(Base64, 64) + "\\n" + R(Base64, 40) + "\\n-----END PRIVATE KEY-----\\n", s => $"{{\"type\": \"service_account\", \"private_key\": \"{s}\"}}");
        Add("pem truncated", "private_key_pem", "-----BEGIN EC PRIVATE KEY-----\n" + R(Base64, 64) + "\n" + R(Base64, 30), s => $"output cut: {s}");
        Add("nsec", "nsec", "nsec1" + R(Bech32, 58), s => $"Your key: {s} (keep it safe)");
        Add("bearer header", "authorization_header", RD(UrlSafe + ".~", 48), s => $"> GET /v1/me HTTP/1.1\n> Authorization: Bearer {s}\n");
        Add("bearer standalone", "bearer_token", RD(Alnum, 32), s => $"sent bearer {s} to the proxy");
        Add("basic auth header", "authorization_header", Convert.ToBase64String(Encoding.UTF8.GetBytes("deploy:" + R(Alnum, 16))), s => $"curl -H \"Authorization: Basic {s}\" https://ci.example.com");
        Add("postgres url password", "url_credentials", R(Alnum, 20), s => $"DATABASE_URL=postgres://app:{s}@db.internal:5432/prod");
        Add("https url password", "url_credentials", R(Alnum, 14) + "!9", s => $"fetching https://admin:{s}@example.com/admin");
        Add("npm token", "npm_token", "npm_" + R(Alnum, 36), s => $"//registry.npmjs.org/:_authToken={s}");
        Add("huggingface", "huggingface_token", "hf_" + R(Alnum, 34), s => $"huggingface-cli login --token {s}");
        Add("twilio api key", "twilio_api_key", "SK" + R(HexLower, 32), s => $"twilio sid {s}");
        Add("sendgrid", "sendgrid_key", "SG." + R(UrlSafe, 22) + "." + R(UrlSafe, 43), s => $"sg = SendGridAPIClient('{s}')");
        Add("azure storage key", "azure_key", R(Base64, 86) + "==", s => $"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={s};EndpointSuffix=core.windows.net");
        Add("digitalocean", "digitalocean_token", "dop_v1_" + R(HexLower, 64), s => $"doctl auth init -t {s}");
        Add("discord bot", "discord_bot_token", "M" + R(Alnum, 25) + "." + R(UrlSafe, 6) + "." + R(UrlSafe, 38), s => $"client.run({s})".Replace("(", "( ", StringComparison.Ordinal));
        Add("telegram bot", "telegram_bot_token", R("123456789", 10) + ":AA" + R(UrlSafe, 33), s => $"bot = Bot({s})".Replace("(", " ", StringComparison.Ordinal));
        Add("groq", "groq_key", "gsk_" + R(Alnum, 52), s => $"GROQ {s}");
        Add("xai", "xai_key", "xai-" + R(Alnum, 80), s => $"using {s}");
        Add("mailgun", "mailgun_key", "key-" + R(HexLower, 32), s => $"mailgun {s}");
        Add("age secret key", "age_secret_key", "AGE-SECRET-KEY-1" + R(UpperDigits, 58), s => $"# created: 2026\n{s}\n");
        Add("shopify", "shopify_token", "shpat_" + R(HexLower, 32), s => $"X-Shopify-Access-Token {s}");
        Add("json api_key in tool output", "secret_assignment", RD(Alnum, 30), s => $"{{\"service\": \"maps\", \"api_key\": \"{s}\", \"region\": \"eu\"}}");
        Add("json password in tool output", "secret_assignment", "correct horse battery " + R(Alnum, 8), s => $"{{\"user\":\"bob\",\"password\":\"{s}\"}}");
        Add("double-encoded json secret", "secret_assignment", RD(Alnum, 24), s => $"log: {{\\\"client_secret\\\":\\\"{s}\\\"}}");
        Add("yaml client secret", "secret_assignment", RD(Alnum, 32), s => $"oauth:\n  client_id: my-app\n  client_secret: {s}\n");
        Add("env password", "secret_assignment", "S3cr" + R(Alnum, 12), s => $"DB_PASSWORD={s}\nDB_HOST=localhost");
        Add("cli password flag", "secret_flag", R(Alnum, 16), s => $"mysql --password={s} -h db");
        Add("cli token flag", "secret_flag", RD(Alnum, 24), s => $"deploy --api-token {s} --env prod");
        Add("private key hex", "private_key_hex", R(HexLower, 64), s => $"\"private_key\": \"{s}\"");
        Add("mnemonic", "secret_assignment", "abandon ability able about above absent absorb abstract absurd abuse access " + R("abcdefghij", 6), s => $"mnemonic: \"{s}\"");
        Add("cookie header", "secret_assignment", "sess=" + RD(Alnum, 40), s => $"Cookie: {s}");
        Add("python kwarg secret", "secret_assignment", RD(Alnum, 28), s => $"connect(host='db', password='{s}')");
        return cases;
    }
}
