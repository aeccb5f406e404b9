using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SovereignTrajectories.Nostr.Crypto;

namespace SovereignTrajectories.Trajectories.Redaction;

/// <summary>
/// Removes secrets before anything is signed (profile §4): values under secret-named keys become
/// <c>[REDACTED]</c>, secret shapes inside strings become <c>[REDACTED:&lt;rule&gt;]</c>, and thinking is withheld
/// unless the operator publishes it. Every replacement is recorded (location, rule, span), never the secret.
/// Stateless after construction and safe to share between threads.
/// </summary>
public sealed class Redactor
{
    /// <summary>What a value under a secret-named key becomes.</summary>
    public const string KeyPlaceholder = "[REDACTED]";

    /// <summary>Rule name recorded for values replaced because of their key.</summary>
    public const string KeyRule = "secret_key_name";

    /// <summary>Rule name recorded for withheld thinking.</summary>
    public const string ThinkingRule = "thinking";

    private static readonly System.Collections.Frozen.FrozenSet<string> AuthSchemes =
        System.Collections.Frozen.FrozenSet.ToFrozenSet(["Bearer", "Basic", "Token", "Digest", "Negotiate"], StringComparer.OrdinalIgnoreCase);

    private static readonly TimeSpan CustomPatternTimeout = TimeSpan.FromSeconds(2);

    private readonly RedactionOptions _options;
    private readonly SecretKeyNames _keyNames;
    private readonly SecretRule[] _rules;
    private readonly System.Buffers.SearchValues<string> _triggers;

    // Lower-cased first character -> (trigger, rule index) pairs starting with it.
    private readonly Dictionary<char, (string Trigger, int Rule)[]> _triggerRules;

    /// <summary>Creates a redactor with the built-in rules plus the options' extra key words and patterns.</summary>
    /// <exception cref="ArgumentException">An extra pattern is not a valid regular expression; the message names it.</exception>
    public Redactor(RedactionOptions? options = null)
    {
        _options = options ?? new RedactionOptions();
        _keyNames = new SecretKeyNames(_options.ExtraSecretKeyWords);
        List<SecretRule> rules = [.. SecretPatterns.BuiltIn];
        foreach (KeyValuePair<string, string> extra in _options.ExtraPatterns)
        {
            try
            {
                Regex regex = new(extra.Value, RegexOptions.CultureInvariant | RegexOptions.Compiled, CustomPatternTimeout);
                rules.Add(new SecretRule(extra.Key, regex));
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"redaction pattern '{extra.Key}' is not a valid regular expression: {ex.Message}", nameof(options), ex);
            }
        }

        _rules = [.. rules];
        (_triggers, _triggerRules) = BuildTriggers(_rules);
    }

    /// <summary>The classifier used for key names (shared with callers that redact other structures).</summary>
    public SecretKeyNames KeyNames => _keyNames;

    /// <summary>Replaces every secret shape in <paramref name="text"/>; findings carry <paramref name="location"/>.</summary>
    public RedactedText RedactText(string text, string location)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(location);
        if (text.Length == 0)
        {
            return new RedactedText(text, []);
        }

        List<Span>? spans = null;
        Span<bool> run = _rules.Length <= 256 ? stackalloc bool[_rules.Length] : new bool[_rules.Length];
        RulesToRun(text, run);
        for (int r = 0; r < _rules.Length; r++)
        {
            if (!run[r])
            {
                continue;
            }

            SecretRule rule = _rules[r];
            for (Match match = rule.Pattern.Match(text); match.Success; match = match.NextMatch())
            {
                Group secret = match.Groups["secret"];
                Capture target = secret.Success ? secret : match;
                if (target.Length == 0 || !Accept(rule, match, target.Value))
                {
                    continue;
                }

                spans ??= [];
                TryInsert(spans, new Span(target.Index, target.Length, rule.Name));
            }
        }

        if (spans is null || spans.Count == 0)
        {
            return new RedactedText(text, []);
        }

        StringBuilder builder = new(text.Length);
        List<RedactionFinding> findings = new(spans.Count);
        int position = 0;
        foreach (Span span in spans)
        {
            builder.Append(text, position, span.Start - position);
            builder.Append("[REDACTED:").Append(span.Rule).Append(']');
            position = span.Start + span.Length;
            findings.Add(new RedactionFinding(location, span.Rule, span.Start, span.Length));
        }

        builder.Append(text, position, text.Length - position);
        return new RedactedText(builder.ToString(), findings);
    }

    /// <summary>As <see cref="RedactText(string, string)"/>, adding the findings to <paramref name="report"/>; returns the text.</summary>
    public string RedactText(string text, string location, RedactionReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        RedactedText result = RedactText(text, location);
        report.AddRange(result.Findings);
        return result.Text;
    }

    /// <summary>
    /// A redacted copy of <paramref name="node"/> (the input is not modified): values under secret-named keys become
    /// <c>[REDACTED]</c> (null, booleans and empty strings are kept: they hold no secret), every other string is
    /// scanned with <see cref="RedactText(string, string)"/>. Findings are located as <paramref name="location"/> plus
    /// a JSON Pointer.
    /// </summary>
    public JsonNode? RedactJson(JsonNode? node, string location, RedactionReport report)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(report);
        return Redact(node, location, report);
    }

    /// <summary>
    /// A thinking step's published content: <c>&lt;redacted&gt;</c> plus the SHA-256 of the original unless
    /// <see cref="RedactionOptions.PublishThinking"/> is set, in which case the text is published secret-scanned.
    /// </summary>
    public RedactedThinking RedactThinking(string text, string location, RedactionReport report)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(report);
        if (_options.PublishThinking)
        {
            return new RedactedThinking(RedactText(text, location, report), null);
        }

        report.Add(new RedactionFinding(location, ThinkingRule, 0, text.Length));
        return new RedactedThinking(RedactedThinking.Placeholder, Sha256.HexOfUtf8(text));
    }

    private JsonNode? Redact(JsonNode? node, string location, RedactionReport report)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonObject obj:
                JsonObject copy = [];
                foreach (KeyValuePair<string, JsonNode?> property in obj)
                {
                    string childLocation = location + "/" + EscapePointer(property.Key);
                    if (_keyNames.IsSecret(property.Key) && HoldsSecret(property.Value, out int length))
                    {
                        report.Add(new RedactionFinding(childLocation, KeyRule, 0, length));
                        copy[property.Key] = KeyPlaceholder;
                    }
                    else
                    {
                        copy[property.Key] = Redact(property.Value, childLocation, report);
                    }
                }

                return copy;
            case JsonArray array:
                JsonArray arrayCopy = [];
                for (int i = 0; i < array.Count; i++)
                {
                    arrayCopy.Add(Redact(array[i], location + "/" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), report));
                }

                return arrayCopy;
            case JsonValue value when value.TryGetValue(out string? text):
                RedactedText redacted = RedactText(text, location);
                report.AddRange(redacted.Findings);
                return JsonValue.Create(redacted.Text);
            default:
                return node.DeepClone();
        }
    }

    // One vectorised multi-literal scan decides which rules can match at all, so a text without, say, "eyJ" never
    // pays for the JWT regex: most tool output triggers only a handful of the rules.
    private void RulesToRun(string text, Span<bool> run)
    {
        int remaining = 0;
        for (int i = 0; i < _rules.Length; i++)
        {
            if (_rules[i].Triggers is null)
            {
                run[i] = true;
            }
            else
            {
                remaining++;
            }
        }

        ReadOnlySpan<char> span = text;
        int offset = 0;
        while (remaining > 0 && offset < span.Length)
        {
            int found = span[offset..].IndexOfAny(_triggers);
            if (found < 0)
            {
                break;
            }

            int position = offset + found;
            ReadOnlySpan<char> rest = span[position..];
            if (_triggerRules.TryGetValue(char.ToLowerInvariant(rest[0]), out (string Trigger, int Rule)[]? candidates))
            {
                foreach ((string trigger, int rule) in candidates)
                {
                    if (!run[rule] && rest.StartsWith(trigger, StringComparison.OrdinalIgnoreCase))
                    {
                        run[rule] = true;
                        remaining--;
                    }
                }
            }

            offset = position + 1;
        }
    }

    private static (System.Buffers.SearchValues<string> Triggers, Dictionary<char, (string Trigger, int Rule)[]> ByFirstChar) BuildTriggers(SecretRule[] rules)
    {
        List<(string Trigger, int Rule)> all = [];
        for (int i = 0; i < rules.Length; i++)
        {
            foreach (string trigger in rules[i].Triggers ?? [])
            {
                if (trigger.Length == 0)
                {
                    throw new ArgumentException($"redaction rule '{rules[i].Name}' has an empty trigger");
                }

                all.Add((trigger, i));
            }
        }

        System.Buffers.SearchValues<string> values = System.Buffers.SearchValues.Create(
            all.Select(t => t.Trigger).Distinct(StringComparer.OrdinalIgnoreCase).ToArray(), StringComparison.OrdinalIgnoreCase);
        Dictionary<char, (string Trigger, int Rule)[]> byFirstChar = all
            .GroupBy(t => char.ToLowerInvariant(t.Trigger[0]))
            .ToDictionary(g => g.Key, g => g.ToArray());
        return (values, byFirstChar);
    }

    private static bool HoldsSecret(JsonNode? value, out int length)
    {
        length = 0;
        switch (value)
        {
            case null:
                return false;
            case JsonValue v when v.TryGetValue(out string? s):
                length = s.Length;
                return s.Length > 0 && s != KeyPlaceholder;
            case JsonValue v when v.TryGetValue(out bool _):
                return false;
            default:
                length = value.ToJsonString().Length;
                return true;
        }
    }

    private bool Accept(SecretRule rule, Match match, string secret)
    {
        if (secret.StartsWith("[REDACTED", StringComparison.Ordinal) || secret == RedactedThinking.Placeholder)
        {
            return false;
        }

        if (!rule.ChecksKeyName)
        {
            return true;
        }

        if (IsNonSecretLiteral(secret))
        {
            return false;
        }

        Group key = match.Groups["key"];
        return key.Success && _keyNames.IsSecret(key.Value);
    }

    // Values that say nothing (null/true/false), name where the secret comes from instead of holding it, or are an
    // HTTP auth scheme whose credentials follow (those are the authorization_header rule's to replace).
    private static bool IsNonSecretLiteral(string value) =>
        value.Trim('=').Length == 0 || AuthSchemes.Contains(value) || value is "null" or "None" or "nil" or "true" or "false" or "undefined" or "***" or "xxx" or "..."
        || value.StartsWith('$') || value.StartsWith("<", StringComparison.Ordinal)
        || value.StartsWith("process.env", StringComparison.Ordinal) || value.StartsWith("os.environ", StringComparison.Ordinal);

    // Keeps spans sorted by start; a span overlapping one found earlier (by a higher-priority rule) is dropped.
    // Binary search keeps outputs with thousands of findings linear-ish instead of quadratic.
    private static void TryInsert(List<Span> spans, Span span)
    {
        int low = 0;
        int high = spans.Count;
        while (low < high)
        {
            int mid = (low + high) >>> 1;
            if (spans[mid].Start < span.Start)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        int end = span.Start + span.Length;
        bool overlapsNext = low < spans.Count && spans[low].Start < end;
        bool overlapsPrevious = low > 0 && spans[low - 1].Start + spans[low - 1].Length > span.Start;
        if (!overlapsNext && !overlapsPrevious)
        {
            spans.Insert(low, span);
        }
    }

    private static string EscapePointer(string key) =>
        key.Contains('~', StringComparison.Ordinal) || key.Contains('/', StringComparison.Ordinal)
            ? key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)
            : key;

    private readonly record struct Span(int Start, int Length, string Rule);
}
