using SovereignTrajectories.Nostr.Events;

namespace SovereignTrajectories.Nostr.Auth;

/// <summary>NIP-42 client authentication: the kind 22242 event that answers a relay's AUTH challenge.</summary>
public static class AuthEvent
{
    public const int Kind = 22242;

    /// <summary>NIP-42 suggests about ten minutes either side of the relay's clock.</summary>
    public const long DefaultToleranceSeconds = 600;

    /// <summary>The unsigned answer to <paramref name="challenge"/> from <paramref name="relayUrl"/>; sign it with EventSigner.</summary>
    public static UnsignedEvent Create(string relayUrl, string challenge, long createdAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(relayUrl);
        ArgumentNullException.ThrowIfNull(challenge);
        return new UnsignedEvent(createdAt, Kind, [new Tag("relay", relayUrl), new Tag("challenge", challenge)], string.Empty);
    }

    /// <summary>
    /// Why <paramref name="e"/> is not a valid answer to <paramref name="challenge"/> for
    /// <paramref name="relayUrl"/> at <paramref name="now"/> (Unix seconds), or null when it is.
    /// Checks kind, challenge, relay (scheme and host case-insensitive, a trailing slash
    /// ignored), time window, then id and signature.
    /// </summary>
    public static string? Check(NostrEvent e, string relayUrl, string challenge, long now, long toleranceSeconds = DefaultToleranceSeconds)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(relayUrl);
        ArgumentNullException.ThrowIfNull(challenge);
        if (e.Kind != Kind)
        {
            return $"auth event kind must be {Kind}, got {e.Kind}";
        }

        string? gotChallenge = e.Tags.FindValue("challenge");
        if (gotChallenge is null)
        {
            return "auth event has no challenge tag";
        }

        if (!string.Equals(gotChallenge, challenge, StringComparison.Ordinal))
        {
            return "auth event answers a different challenge";
        }

        string? gotRelay = e.Tags.FindValue("relay");
        if (gotRelay is null)
        {
            return "auth event has no relay tag";
        }

        if (!SameRelay(gotRelay, relayUrl))
        {
            return $"auth event is for relay '{gotRelay}', not '{relayUrl}'";
        }

        long skew = e.CreatedAt - now;
        if (Math.Abs(skew) > toleranceSeconds)
        {
            return $"auth event created_at is {Math.Abs(skew)} s {(skew < 0 ? "in the past" : "in the future")}; at most {toleranceSeconds} s allowed";
        }

        EventCheck check = EventVerifier.Verify(e);
        return check.IsValid ? null : $"auth event fails verification: {check.Reason}";
    }

    /// <summary>Relay URLs compare equal when they differ only in scheme/host case, a default port or a trailing slash.</summary>
    public static bool SameRelay(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return string.Equals(Normalise(a), Normalise(b), StringComparison.Ordinal);
    }

    private static string Normalise(string url)
    {
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out Uri? uri))
        {
            return url.Trim();
        }

        string path = uri.AbsolutePath.TrimEnd('/');
        string port = uri.IsDefaultPort ? string.Empty : ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return $"{uri.Scheme.ToLowerInvariant()}://{uri.Host.ToLowerInvariant()}{port}{path}{uri.Query}";
    }
}
