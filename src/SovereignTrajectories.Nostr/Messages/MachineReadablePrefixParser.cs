namespace SovereignTrajectories.Nostr.Messages;

/// <summary>Splits an OK/CLOSED message into its NIP-01 machine-readable prefix and the human text.</summary>
public static class MachineReadablePrefixParser
{
    /// <summary>
    /// The prefix is the text before the first colon. A known prefix may be followed directly by
    /// text; an unknown word counts as a prefix only when followed by ": " or the end, so that
    /// messages such as "see https://..." are not mistaken for prefixed ones.
    /// </summary>
    public static (MachineReadablePrefix Prefix, string Message) Parse(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        int colon = message.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return (MachineReadablePrefix.None, message);
        }

        ReadOnlySpan<char> word = message.AsSpan(0, colon);
        foreach (char c in word)
        {
            if (char.IsWhiteSpace(c))
            {
                return (MachineReadablePrefix.None, message);
            }
        }

        string rest = message[(colon + 1)..].TrimStart(' ');
        MachineReadablePrefix prefix = Known(word);
        if (prefix != MachineReadablePrefix.Unknown)
        {
            return (prefix, rest);
        }

        bool separated = colon + 1 == message.Length || message[colon + 1] == ' ';
        return separated ? (MachineReadablePrefix.Unknown, rest) : (MachineReadablePrefix.None, message);
    }

    /// <summary>The wire form of <paramref name="prefix"/> (without the colon), or null for None/Unknown.</summary>
    public static string? ToWire(MachineReadablePrefix prefix) => prefix switch
    {
        MachineReadablePrefix.Duplicate => "duplicate",
        MachineReadablePrefix.Pow => "pow",
        MachineReadablePrefix.Blocked => "blocked",
        MachineReadablePrefix.RateLimited => "rate-limited",
        MachineReadablePrefix.Invalid => "invalid",
        MachineReadablePrefix.Restricted => "restricted",
        MachineReadablePrefix.Mute => "mute",
        MachineReadablePrefix.Error => "error",
        MachineReadablePrefix.AuthRequired => "auth-required",
        _ => null,
    };

    private static MachineReadablePrefix Known(ReadOnlySpan<char> word)
    {
        foreach (MachineReadablePrefix p in Enum.GetValues<MachineReadablePrefix>())
        {
            if (ToWire(p) is string wire && word.Equals(wire, StringComparison.OrdinalIgnoreCase))
            {
                return p;
            }
        }

        return MachineReadablePrefix.Unknown;
    }
}
