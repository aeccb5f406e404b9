namespace SovereignTrajectories.Relays.Configuration;

/// <summary>Parses and normalises relay URLs so that the same relay is never counted twice toward a quorum.</summary>
public static class RelayUrl
{
    /// <summary>Parses a ws:// or wss:// URL; throws <see cref="FormatException"/> naming the input when it is not one.</summary>
    public static Uri Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out Uri? uri))
        {
            throw new FormatException($"'{text}' is not an absolute URL");
        }

        if (uri.Scheme is not ("ws" or "wss"))
        {
            throw new FormatException($"'{text}' is not a ws:// or wss:// URL (scheme '{uri.Scheme}')");
        }

        if (string.IsNullOrEmpty(uri.Host))
        {
            throw new FormatException($"'{text}' has no host");
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new FormatException($"'{text}' carries credentials in the URL; relays are authenticated with NIP-42, not URL credentials");
        }

        return uri;
    }

    /// <summary>Scheme and host lower-case, default port dropped, a lone "/" path dropped.</summary>
    public static string Normalise(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        string text = url.GetComponents(UriComponents.SchemeAndServer | UriComponents.PathAndQuery, UriFormat.UriEscaped);
        return text.EndsWith('/') && url.PathAndQuery == "/" ? text[..^1] : text;
    }

    /// <summary>The NIP-11 address of a relay: the same host and path over http(s).</summary>
    public static Uri ToHttp(Uri url)
    {
        var builder = new UriBuilder(url) { Scheme = url.Scheme == "wss" ? "https" : "http" };
        if (url.IsDefaultPort)
        {
            builder.Port = -1;
        }

        return builder.Uri;
    }
}
