using System.Collections.Frozen;

namespace SovereignTrajectories.Trajectories.Redaction;

/// <summary>
/// Decides whether a key (JSON property, env variable, header, CLI flag) names a secret, on whole key words:
/// the key is split on <c>_ - . space</c> and camelCase boundaries, so <c>api_key</c>, <c>apiKey</c>, <c>X-Api-Key</c>
/// and <c>OPENAI_API_KEY</c> are secrets while <c>tokens_in</c>, <c>max_tokens</c>, <c>author</c> and
/// <c>authority</c> are not.
/// </summary>
public sealed class SecretKeyNames
{
    private static readonly string[] BuiltInWords =
    [
        "password", "passwd", "pwd", "passphrase", "passcode", "secret", "secrets", "token", "apikey", "apitoken",
        "apisecret", "privatekey", "privkey", "seckey", "secretkey", "accesskey", "accesstoken", "refreshtoken",
        "authtoken", "idtoken", "sessiontoken", "bearertoken", "clientsecret", "authorization", "auth", "credential",
        "credentials", "creds", "mnemonic", "seed", "nsec", "cookie", "cookies", "jwt", "otp",
    ];

    private static readonly string[] BuiltInPairs =
    [
        "api key", "private key", "priv key", "access key", "signing key", "encryption key", "master key",
        "session key", "auth key", "account key", "connection string", "shared key", "ssh key", "set cookie",
    ];

    // A secret word followed by one of these names something about the secret (its count, type, location), not the secret.
    private static readonly FrozenSet<string> DescriptiveSuffixes = FrozenSet.ToFrozenSet(
    [
        "count", "counts", "limit", "limits", "usage", "length", "len", "size", "type", "kind", "budget", "estimate",
        "estimated", "total", "max", "min", "expires", "expiry", "expiration", "ttl", "url", "uri", "endpoint", "file",
        "path", "name", "names", "header", "field", "format", "policy", "location", "hint", "prefix", "enabled",
        "required", "id", "ids", "ref", "env", "var", "method", "mode", "provider", "scheme", "scope", "scopes",
        "strategy", "version", "status", "error", "present", "set", "configured", "source", "index", "rate",
        // File names in paths and stack traces (AuthService.cs:42, token_store.py:10).
        "cs", "js", "ts", "tsx", "jsx", "mjs", "py", "go", "rs", "java", "kt", "rb", "php", "swift", "c", "h", "cpp",
        "json", "yaml", "yml", "toml", "md", "txt", "html", "css", "sh", "sql", "xml", "lock",
    ], StringComparer.Ordinal);

    // "max token", "input token": language-model token accounting, not credentials.
    private static readonly FrozenSet<string> TokenAccountingPrefixes = FrozenSet.ToFrozenSet(
    [
        "max", "min", "num", "input", "output", "prompt", "completion", "cached", "cache", "reasoning", "total",
        "new", "eos", "bos", "pad", "unk", "special", "stop",
    ], StringComparer.Ordinal);

    private readonly FrozenSet<string> _words;
    private readonly FrozenSet<string> _pairs;
    private readonly FrozenSet<string> _longer;

    /// <summary>Creates the classifier with the built-in words plus <paramref name="extraKeyWords"/> (each split like a key).</summary>
    public SecretKeyNames(IEnumerable<string>? extraKeyWords = null)
    {
        HashSet<string> words = new(BuiltInWords, StringComparer.Ordinal);
        HashSet<string> pairs = new(BuiltInPairs, StringComparer.Ordinal);
        HashSet<string> longer = new(StringComparer.Ordinal);
        foreach (string extra in extraKeyWords ?? [])
        {
            List<string> parts = SplitWords(extra);
            switch (parts.Count)
            {
                case 0:
                    throw new ArgumentException($"extra secret key word '{extra}' has no letters or digits", nameof(extraKeyWords));
                case 1:
                    words.Add(parts[0]);
                    break;
                case 2:
                    pairs.Add(parts[0] + " " + parts[1]);
                    break;
                default:
                    longer.Add(string.Join(' ', parts));
                    break;
            }
        }

        _words = words.ToFrozenSet(StringComparer.Ordinal);
        _pairs = pairs.ToFrozenSet(StringComparer.Ordinal);
        _longer = longer.ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>True when <paramref name="key"/> names a secret.</summary>
    public bool IsSecret(string key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return false;
        }

        List<string> words = SplitWords(key);
        if (words.Count == 0 || (words.Count > 1 && DescriptiveSuffixes.Contains(words[^1])))
        {
            return false;
        }

        for (int i = 0; i < words.Count; i++)
        {
            if (_words.Contains(words[i]))
            {
                bool accounting = words[i] == "token" && i > 0 && TokenAccountingPrefixes.Contains(words[i - 1]);
                if (!accounting)
                {
                    return true;
                }
            }

            if (i + 1 < words.Count && _pairs.Contains(words[i] + " " + words[i + 1]))
            {
                return true;
            }
        }

        if (_longer.Count > 0)
        {
            string joined = " " + string.Join(' ', words) + " ";
            foreach (string sequence in _longer)
            {
                if (joined.Contains(" " + sequence + " ", StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Splits a key into lower-case words on non-alphanumerics and camelCase boundaries (<c>APIKey</c> -> api, key).</summary>
    public static List<string> SplitWords(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        List<string> words = [];
        int start = -1;
        for (int i = 0; i <= key.Length; i++)
        {
            char c = i < key.Length ? key[i] : '\0';
            bool isWordChar = i < key.Length && char.IsLetterOrDigit(c);
            if (!isWordChar)
            {
                Flush(key, ref start, i, words);
                continue;
            }

            if (start >= 0 && char.IsUpper(c))
            {
                char previous = key[i - 1];
                bool lowerToUpper = char.IsLower(previous) || char.IsDigit(previous);
                bool acronymEnd = char.IsUpper(previous) && i + 1 < key.Length && char.IsLower(key[i + 1]);
                if (lowerToUpper || acronymEnd)
                {
                    Flush(key, ref start, i, words);
                }
            }

            if (start < 0)
            {
                start = i;
            }
        }

        return words;
    }

    private static void Flush(string key, ref int start, int end, List<string> words)
    {
        if (start >= 0)
        {
            words.Add(key[start..end].ToLowerInvariant());
            start = -1;
        }
    }
}
