using System.Text.RegularExpressions;

namespace SovereignTrajectories.Trajectories.Redaction;

/// <summary>
/// The built-in secret shapes, most specific first (an overlap is won by the earlier rule). Provider prefixes follow
/// the providers' published token formats; look-behinds keep them from firing inside longer identifiers.
/// </summary>
public static partial class SecretPatterns
{
    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;

    /// <summary>All built-in rules in priority order.</summary>
    public static IReadOnlyList<SecretRule> BuiltIn { get; } =
    [
        new("private_key_pem", PemPrivateKey()) { Triggers = ["PRIVATE KEY"] },
        new("anthropic_key", Anthropic()) { Triggers = ["sk-ant-"] },
        new("openai_key", OpenAi()) { Triggers = ["sk-"] },
        new("google_api_key", GoogleApiKey()) { Triggers = ["AIza"] },
        new("google_oauth_token", GoogleOAuth()) { Triggers = ["ya29."] },
        new("github_token", GitHubToken()) { Triggers = ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"] },
        new("github_pat", GitHubPat()) { Triggers = ["github_pat_"] },
        new("gitlab_token", GitLab()) { Triggers = ["glpat-", "gldt-", "glptt-", "glrt-", "glcbt-", "glimt-", "gloas-", "glsoat-", "glft-"] },
        new("slack_token", SlackToken()) { Triggers = ["xox"] },
        new("slack_webhook", SlackWebhook()) { Triggers = ["hooks.slack.com"] },
        new("discord_webhook", DiscordWebhook()) { Triggers = ["/api/webhooks/"] },
        new("stripe_key", Stripe()) { Triggers = ["_live_", "_test_"] },
        new("stripe_webhook_secret", StripeWebhook()) { Triggers = ["whsec_"] },
        new("aws_access_key_id", AwsAccessKeyId()) { Triggers = ["AKIA", "ASIA", "ABIA", "ACCA", "AGPA", "AIDA", "AROA", "ANPA", "ANVA", "AIPA"] },
        new("aws_secret_access_key", AwsSecretAccessKey()) { Triggers = ["secret"] },
        new("npm_token", Npm()) { Triggers = ["npm_"] },
        new("pypi_token", PyPi()) { Triggers = ["pypi-"] },
        new("huggingface_token", HuggingFace()) { Triggers = ["hf_"] },
        new("twilio_api_key", Twilio()) { Triggers = ["SK"] },
        new("sendgrid_key", SendGrid()) { Triggers = ["SG."] },
        new("digitalocean_token", DigitalOcean()) { Triggers = ["_v1_"] },
        new("groq_key", Groq()) { Triggers = ["gsk_"] },
        new("xai_key", XAi()) { Triggers = ["xai-"] },
        new("replicate_token", Replicate()) { Triggers = ["r8_"] },
        new("perplexity_key", Perplexity()) { Triggers = ["pplx-"] },
        new("shopify_token", Shopify()) { Triggers = ["shp"] },
        new("mailgun_key", Mailgun()) { Triggers = ["key-"] },
        new("square_token", Square()) { Triggers = ["sq0"] },
        new("databricks_token", Databricks()) { Triggers = ["dapi"] },
        new("linear_key", Linear()) { Triggers = ["lin_api_"] },
        new("notion_token", Notion()) { Triggers = ["secret_", "ntn_"] },
        new("age_secret_key", AgeSecretKey()) { Triggers = ["AGE-SECRET-KEY-1"] },
        new("telegram_bot_token", Telegram()) { Triggers = [":AA"] },
        new("discord_bot_token", DiscordBot()),
        new("nsec", Nsec()) { Triggers = ["nsec1"] },
        new("jwt", Jwt()) { Triggers = ["eyJ"] },
        new("url_credentials", UrlCredentials()) { Triggers = ["://"] },
        new("authorization_header", AuthorizationHeader()) { Triggers = ["authorization"] },
        new("bearer_token", Bearer()) { Triggers = ["bearer"] },
        new("azure_key", AzureKey()) { Triggers = ["AccountKey", "SharedAccessKey", "SharedAccessSignature"] },
        new("azure_sas_signature", AzureSas()) { Triggers = ["sig="] },
        new("private_key_hex", PrivateKeyHex()) { Triggers = ["key"] },
        new("secret_flag", CliFlag(), ChecksKeyName: true) { Triggers = ["--"] },
        new("secret_assignment", Assignment(), ChecksKeyName: true) { Triggers = ["pass", "pwd", "secret", "token", "key", "auth", "credential", "creds", "mnemonic", "seed", "nsec", "cookie", "jwt", "otp"] },
    ];

    [GeneratedRegex(@"-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----|\z)", Options)]
    private static partial Regex PemPrivateKey();

    [GeneratedRegex(@"(?<![A-Za-z0-9_\-])sk-ant-[A-Za-z0-9_\-]{20,}", Options)]
    private static partial Regex Anthropic();

    [GeneratedRegex(@"(?<![A-Za-z0-9_\-])sk-(?:proj-|svcacct-|admin-|None-)?(?=[A-Za-z0-9_\-]*[0-9])[A-Za-z0-9_\-]{20,}", Options)]
    private static partial Regex OpenAi();

    [GeneratedRegex(@"(?<![A-Za-z0-9_\-])AIza[0-9A-Za-z_\-]{35}(?![A-Za-z0-9_\-])", Options)]
    private static partial Regex GoogleApiKey();

    [GeneratedRegex(@"(?<![A-Za-z0-9_\-])ya29\.[0-9A-Za-z_\-]{20,}", Options)]
    private static partial Regex GoogleOAuth();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36,255}(?![A-Za-z0-9_])", Options)]
    private static partial Regex GitHubToken();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{22,255}", Options)]
    private static partial Regex GitHubPat();

    [GeneratedRegex(@"(?<![A-Za-z0-9_\-])gl(?:pat|dt|ptt|rt|cbt|imt|oas|soat|ft)-[A-Za-z0-9_\-]{20,}", Options)]
    private static partial Regex GitLab();

    [GeneratedRegex(@"(?<![A-Za-z0-9_\-])xox[abposre]-[A-Za-z0-9\-]{10,}", Options)]
    private static partial Regex SlackToken();

    [GeneratedRegex(@"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/\-]{10,}", Options)]
    private static partial Regex SlackWebhook();

    [GeneratedRegex(@"https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/[0-9]{5,}/[A-Za-z0-9_\-]{20,}", Options)]
    private static partial Regex DiscordWebhook();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}", Options)]
    private static partial Regex Stripe();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])whsec_[A-Za-z0-9+/=]{24,}", Options)]
    private static partial Regex StripeWebhook();

    [GeneratedRegex(@"(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}(?![A-Za-z0-9])", Options)]
    private static partial Regex AwsAccessKeyId();

    [GeneratedRegex(@"(?i:aws_?secret_?access_?key|aws_?secret_?key|secret_?access_?key)\\?[""']?\s*[:=]\s*\\?[""']?(?<secret>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])", Options)]
    private static partial Regex AwsSecretAccessKey();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])", Options)]
    private static partial Regex Npm();

    [GeneratedRegex(@"pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\-]{50,}", Options)]
    private static partial Regex PyPi();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])hf_[A-Za-z0-9]{34,}(?![A-Za-z0-9])", Options)]
    private static partial Regex HuggingFace();

    [GeneratedRegex(@"(?<![A-Za-z0-9])SK[0-9a-f]{32}(?![A-Za-z0-9])", Options)]
    private static partial Regex Twilio();

    [GeneratedRegex(@"(?<![A-Za-z0-9])SG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43}(?![A-Za-z0-9_\-])", Options)]
    private static partial Regex SendGrid();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])do[por]_v1_[a-f0-9]{64}(?![a-f0-9])", Options)]
    private static partial Regex DigitalOcean();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])gsk_[A-Za-z0-9]{48,}", Options)]
    private static partial Regex Groq();

    [GeneratedRegex(@"(?<![A-Za-z0-9_\-])xai-[A-Za-z0-9]{60,}", Options)]
    private static partial Regex XAi();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])r8_[A-Za-z0-9]{37}(?![A-Za-z0-9])", Options)]
    private static partial Regex Replicate();

    [GeneratedRegex(@"(?<![A-Za-z0-9_\-])pplx-[A-Za-z0-9]{40,}", Options)]
    private static partial Regex Perplexity();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}(?![a-fA-F0-9])", Options)]
    private static partial Regex Shopify();

    [GeneratedRegex(@"(?<![A-Za-z0-9_\-])key-[0-9a-f]{32}(?![0-9a-f])", Options)]
    private static partial Regex Mailgun();

    [GeneratedRegex(@"(?<![A-Za-z0-9_\-])sq0(?:atp|csp)-[A-Za-z0-9_\-]{22,}", Options)]
    private static partial Regex Square();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])dapi[a-f0-9]{32}(?![a-f0-9])", Options)]
    private static partial Regex Databricks();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])lin_api_[A-Za-z0-9]{40}", Options)]
    private static partial Regex Linear();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])(?:secret_[A-Za-z0-9]{43}|ntn_[A-Za-z0-9]{40,})(?![A-Za-z0-9])", Options)]
    private static partial Regex Notion();

    [GeneratedRegex(@"AGE-SECRET-KEY-1[0-9A-Z]{58}", Options)]
    private static partial Regex AgeSecretKey();

    // Anchored on ":AA" (the bot id before it is public); starting at every digit was the costliest scan.
    [GeneratedRegex(@"(?<=(?<![A-Za-z0-9])[0-9]{8,10}):AA[A-Za-z0-9_\-]{33}(?![A-Za-z0-9_\-])", Options)]
    private static partial Regex Telegram();

    // Anchored on the first dot: the leading user-id segment is public and matching from it cost a try at every M, N, O.
    [GeneratedRegex(@"(?<=(?<![A-Za-z0-9_\-.])[MNO][A-Za-z0-9_\-]{23,25})\.[A-Za-z0-9_\-]{6}\.[A-Za-z0-9_\-]{27,38}(?![A-Za-z0-9_\-])", Options)]
    private static partial Regex DiscordBot();

    [GeneratedRegex(@"(?<![a-z0-9])nsec1[02-9ac-hj-np-z]{58}(?![a-z0-9])", Options)]
    private static partial Regex Nsec();

    [GeneratedRegex(@"(?<![A-Za-z0-9_\-])eyJ[A-Za-z0-9_\-]{5,}\.eyJ[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]*", Options)]
    private static partial Regex Jwt();

    [GeneratedRegex(@"(?<=(?<![A-Za-z0-9+.\-])[A-Za-z][A-Za-z0-9+.\-]{1,20})://[^\s:/@""'<>]{1,256}:(?<secret>[^\s@/""'<>]{1,256})@", Options)]
    private static partial Regex UrlCredentials();

    [GeneratedRegex(@"(?i)(?<![A-Za-z0-9_])(?:proxy-)?authorization\\?[""']?\s*[:=]\s*\\?[""']?(?:(?:basic|bearer|token|digest|apikey|sso-key)\s+(?<secret>[^\s""'\\<>,;]{4,})|(?<secret>[^\s""'\\<>,;\[]{16,}))", Options)]
    private static partial Regex AuthorizationHeader();

    [GeneratedRegex(@"(?i)(?<![A-Za-z0-9_])bearer\s+(?=[A-Za-z0-9\-._~+/]*[0-9])(?<secret>[A-Za-z0-9\-._~+/]{12,}=*)", Options)]
    private static partial Regex Bearer();

    [GeneratedRegex(@"(?i)(?:AccountKey|SharedAccessKey|SharedAccessSignature)\s*=\s*(?<secret>[^;""'\s]{8,})", Options)]
    private static partial Regex AzureKey();

    [GeneratedRegex(@"[?&]sig=(?<secret>[A-Za-z0-9%+/=]{16,})", Options)]
    private static partial Regex AzureSas();

    [GeneratedRegex(@"(?i)(?:private|secret|priv|signing)[_\-\s]?key\\?[""']?\s*[:=]\s*\\?[""']?(?:0x)?(?<secret>[0-9a-f]{64})(?![0-9a-f])", Options)]
    private static partial Regex PrivateKeyHex();

    [GeneratedRegex(@"(?i)(?<![A-Za-z0-9\-])--(?<key>[a-z0-9_\-]{0,30}(?:pass|pwd|token|secret|key|auth|credential)[a-z0-9_\-]{0,30})(?:=|[ \t]+)(?<secret>[^\s""'\-][^\s""']*)", Options)]
    private static partial Regex CliFlag();

    // Anchored on the separator (found with a vectorised search) and matched backwards to the key, which is far
    // cheaper than trying a 40-character key prefix at every position of the text.
    [GeneratedRegex(@"(?i)(?<=(?<![A-Za-z0-9_.\-+/])(?<key>[A-Za-z0-9_.\-]{0,40}(?:pass|pwd|secret|token|key|auth|credential|creds|mnemonic|seed|nsec|cookie|jwt|otp)[A-Za-z0-9_.\-]{0,40})\\?[""']?[ \t]*)[:=][ \t]*(?:\\?""(?<secret>[^""\\\r\n]{1,1024})|'(?<secret>[^'\r\n]{1,1024})|(?<secret>[^\s""'`,;&<>(){}\[\]\\]{1,1024}))", Options)]
    private static partial Regex Assignment();
}
