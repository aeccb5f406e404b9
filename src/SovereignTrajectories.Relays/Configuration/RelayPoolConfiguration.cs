using System.Text.Json;

namespace SovereignTrajectories.Relays.Configuration;

/// <summary>
/// Reads relays.json, the pool's configuration file:
/// <code>
/// { "relays": [ { "url": "ws://127.0.0.1:7447", "read": true, "write": true } ],
///   "quorum": 1,
///   "timeouts": { "connectSeconds": 10, "publishSeconds": 10, "querySeconds": 30, "authSeconds": 10 },
///   "maxConnectAttemptsPerMinute": 6, "maxIncomingMessageBytes": 1048576 }
/// </code>
/// Every error names the file and the entry (for example <c>relays[1].url</c>) and what is wrong.
/// </summary>
public static class RelayPoolConfiguration
{
    /// <summary>The configuration file name looked up in the working directory.</summary>
    public const string DefaultFileName = "relays.json";

    private static readonly HashSet<string> TopLevelKeys = new(StringComparer.Ordinal)
    {
        "relays", "quorum", "timeouts", "maxConnectAttemptsPerMinute", "maxIncomingMessageBytes", "pageSize", "maxPublishesInFlight", "$comment",
    };

    private static readonly HashSet<string> RelayKeys = new(StringComparer.Ordinal) { "url", "read", "write" };

    private static readonly HashSet<string> TimeoutKeys = new(StringComparer.Ordinal)
    {
        "connectSeconds", "publishSeconds", "querySeconds", "authSeconds",
    };

    /// <summary>Loads and validates a configuration file.</summary>
    public static RelayPoolOptions Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new RelayConfigurationException($"{path}: cannot read the relay configuration: {ex.Message}", ex);
        }

        return Parse(json, path);
    }

    /// <summary>Parses and validates configuration text; <paramref name="source"/> names it in errors.</summary>
    public static RelayPoolOptions Parse(string json, string source = DefaultFileName)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new RelayConfigurationException($"{source}: not valid JSON (line {ex.LineNumber + 1}): {ex.Message}", ex);
        }

        using (doc)
        {
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Error(source, "(root)", "must be a JSON object");
            }

            RejectUnknownKeys(root, TopLevelKeys, source, string.Empty);
            var options = new RelayPoolOptions();
            if (!root.TryGetProperty("relays", out JsonElement relays) || relays.ValueKind != JsonValueKind.Array)
            {
                throw Error(source, "relays", "must be an array of { \"url\", \"read\", \"write\" } objects");
            }

            int index = 0;
            foreach (JsonElement entry in relays.EnumerateArray())
            {
                string at = $"relays[{index}]";
                if (entry.ValueKind == JsonValueKind.String)
                {
                    options.Relays.Add(new RelayEndpoint(ParseUrl(entry.GetString()!, source, at)));
                }
                else if (entry.ValueKind == JsonValueKind.Object)
                {
                    RejectUnknownKeys(entry, RelayKeys, source, at + ".");
                    if (!entry.TryGetProperty("url", out JsonElement url) || url.ValueKind != JsonValueKind.String)
                    {
                        throw Error(source, at + ".url", "is missing or not a string");
                    }

                    Uri uri = ParseUrl(url.GetString()!, source, at + ".url");
                    bool read = Bool(entry, "read", source, at);
                    bool write = Bool(entry, "write", source, at);
                    if (!read && !write)
                    {
                        throw Error(source, at, $"relay {uri} is neither read nor write");
                    }

                    var endpoint = new RelayEndpoint(uri, read, write);
                    if (options.Relays.Any(r => r.Name == endpoint.Name))
                    {
                        throw Error(source, at + ".url", $"relay {endpoint.Name} is listed twice");
                    }

                    options.Relays.Add(endpoint);
                }
                else
                {
                    throw Error(source, at, "must be a URL string or an object with \"url\"");
                }

                index++;
            }

            if (options.Relays.Count == 0)
            {
                throw Error(source, "relays", "lists no relay");
            }

            int writers = options.Relays.Count(r => r.Write);
            if (root.TryGetProperty("quorum", out JsonElement quorum))
            {
                if (quorum.ValueKind != JsonValueKind.Number || !quorum.TryGetInt32(out int k))
                {
                    throw Error(source, "quorum", "must be a whole number");
                }

                if (k < 1 || k > writers)
                {
                    throw Error(source, "quorum", $"is {k}, but must be between 1 and the number of write relays ({writers})");
                }

                options.Quorum = k;
            }
            else
            {
                options.Quorum = Math.Min(1, writers);
            }

            if (root.TryGetProperty("timeouts", out JsonElement timeouts))
            {
                if (timeouts.ValueKind != JsonValueKind.Object)
                {
                    throw Error(source, "timeouts", "must be an object");
                }

                RejectUnknownKeys(timeouts, TimeoutKeys, source, "timeouts.");
                options.Connection.ConnectTimeout = Seconds(timeouts, "connectSeconds", options.Connection.ConnectTimeout, source);
                options.Connection.PublishTimeout = Seconds(timeouts, "publishSeconds", options.Connection.PublishTimeout, source);
                options.Connection.QueryTimeout = Seconds(timeouts, "querySeconds", options.Connection.QueryTimeout, source);
                options.Connection.AuthTimeout = Seconds(timeouts, "authSeconds", options.Connection.AuthTimeout, source);
            }

            options.Connection.MaxConnectAttemptsPerMinute = Int(root, "maxConnectAttemptsPerMinute", options.Connection.MaxConnectAttemptsPerMinute, 1, source);
            options.Connection.MaxIncomingMessageBytes = Int(root, "maxIncomingMessageBytes", options.Connection.MaxIncomingMessageBytes, 1024, source);
            options.Connection.PageSize = Int(root, "pageSize", options.Connection.PageSize, 1, source);
            options.Connection.MaxPublishesInFlight = Int(root, "maxPublishesInFlight", options.Connection.MaxPublishesInFlight, 1, source);
            return options;
        }
    }

    /// <summary>Options for relays given on a command line, with quorum 1 unless told otherwise.</summary>
    public static RelayPoolOptions FromUrls(IEnumerable<string> urls, int quorum = 1)
    {
        var options = new RelayPoolOptions { Quorum = quorum };
        foreach (string u in urls)
        {
            Uri uri;
            try
            {
                uri = RelayUrl.Parse(u);
            }
            catch (FormatException ex)
            {
                throw new RelayConfigurationException($"--relay: {ex.Message}", ex);
            }

            var endpoint = new RelayEndpoint(uri);
            if (!options.Relays.Any(r => r.Name == endpoint.Name))
            {
                options.Relays.Add(endpoint);
            }
        }

        try
        {
            options.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new RelayConfigurationException($"--relay: {ex.Message}", ex);
        }

        return options;
    }

    /// <summary>
    /// What a command line means: the <c>--relay</c> URLs when given (quorum from <paramref name="quorum"/>
    /// or 1), otherwise the configuration file (<paramref name="configPath"/> or relays.json in the
    /// working directory), with <paramref name="quorum"/> overriding its quorum when given.
    /// </summary>
    public static RelayPoolOptions Resolve(IReadOnlyList<string>? urls, string? configPath, int? quorum)
    {
        if (urls is { Count: > 0 })
        {
            return FromUrls(urls, quorum ?? 1);
        }

        string path = configPath ?? Path.Combine(Environment.CurrentDirectory, DefaultFileName);
        if (configPath is null && !File.Exists(path))
        {
            throw new RelayConfigurationException($"no --relay given and no {DefaultFileName} in {Environment.CurrentDirectory}");
        }

        RelayPoolOptions options = Load(path);
        if (quorum is int k)
        {
            int writers = options.Relays.Count(r => r.Write);
            if (k < 1 || k > writers)
            {
                throw new RelayConfigurationException($"--quorum: {k} must be between 1 and the number of write relays in {path} ({writers})");
            }

            options.Quorum = k;
        }

        return options;
    }

    private static Uri ParseUrl(string text, string source, string at)
    {
        try
        {
            return RelayUrl.Parse(text);
        }
        catch (FormatException ex)
        {
            throw Error(source, at, ex.Message);
        }
    }

    private static bool Bool(JsonElement obj, string name, string source, string at)
    {
        if (!obj.TryGetProperty(name, out JsonElement value))
        {
            return true;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(source, $"{at}.{name}", $"must be true or false, got {value.GetRawText()}"),
        };
    }

    private static TimeSpan Seconds(JsonElement obj, string name, TimeSpan fallback, string source)
    {
        if (!obj.TryGetProperty(name, out JsonElement value))
        {
            return fallback;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out double s) || s <= 0 || s > 3600)
        {
            throw Error(source, "timeouts." + name, $"must be a number of seconds above 0 and at most 3600, got {value.GetRawText()}");
        }

        return TimeSpan.FromSeconds(s);
    }

    private static int Int(JsonElement obj, string name, int fallback, int minimum, string source)
    {
        if (!obj.TryGetProperty(name, out JsonElement value))
        {
            return fallback;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int n) || n < minimum)
        {
            throw Error(source, name, $"must be a whole number of at least {minimum}, got {value.GetRawText()}");
        }

        return n;
    }

    private static void RejectUnknownKeys(JsonElement obj, HashSet<string> known, string source, string prefix)
    {
        foreach (JsonProperty p in obj.EnumerateObject())
        {
            if (!known.Contains(p.Name))
            {
                throw Error(source, prefix + p.Name, "is not a known setting (known: " + string.Join(", ", known.Order(StringComparer.Ordinal)) + ")");
            }
        }
    }

    private static RelayConfigurationException Error(string source, string at, string what) => new($"{source}: {at}: {what}");
}
