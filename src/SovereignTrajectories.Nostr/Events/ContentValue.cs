using System.Buffers;
using System.Text;

namespace SovereignTrajectories.Nostr.Events;

/// <summary>
/// An event's content held either as the text it was given or as UTF-8 bytes in a
/// <see cref="Utf8ContentArena"/>. Two values are equal when their text is, whichever way each is held.
/// </summary>
internal readonly struct ContentValue : IEquatable<ContentValue>
{
    private readonly string? _text;
    private readonly ReadOnlyMemory<byte> _utf8;
    private readonly bool _isUtf8;

    private ContentValue(string? text) => _text = text;

    private ContentValue(ReadOnlyMemory<byte> utf8)
    {
        _utf8 = utf8;
        _isUtf8 = true;
    }

    public static ContentValue FromText(string? text) => new(text);

    /// <summary>Bytes the parser has checked are valid UTF-8 and will not change.</summary>
    public static ContentValue FromUtf8(ReadOnlyMemory<byte> utf8) => new(utf8);

    /// <summary>Decoded on every read when held as bytes: the verifier reads the bytes instead.</summary>
    public string? Text => _isUtf8 ? Encoding.UTF8.GetString(_utf8.Span) : _text;

    public bool TryGetUtf8(out ReadOnlyMemory<byte> utf8)
    {
        utf8 = _utf8;
        return _isUtf8;
    }

    public bool Equals(ContentValue other)
    {
        if (_isUtf8 && other._isUtf8)
        {
            return _utf8.Span.SequenceEqual(other._utf8.Span);
        }

        if (!_isUtf8 && !other._isUtf8)
        {
            return string.Equals(_text, other._text, StringComparison.Ordinal);
        }

        (string? text, ReadOnlyMemory<byte> utf8) = _isUtf8 ? (other._text, _utf8) : (_text, other._utf8);
        return text is not null && EqualsUtf8(text, utf8.Span);
    }

    public override bool Equals(object? obj) => obj is ContentValue other && Equals(other);

    public override int GetHashCode()
    {
        // Hashed as UTF-8 either way, so equal contents hash alike however they are held.
        if (_isUtf8)
        {
            return Hash(_utf8.Span);
        }

        if (_text is null)
        {
            return 0;
        }

        byte[] rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(_text.Length));
        try
        {
            int n = Encoding.UTF8.GetBytes(_text, rented);
            return Hash(rented.AsSpan(0, n));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public override string ToString() => Text ?? string.Empty;

    private static int Hash(ReadOnlySpan<byte> utf8)
    {
        var hash = new HashCode();
        hash.AddBytes(utf8);
        return hash.ToHashCode();
    }

    // Decoding compares exactly: encoding the text would turn a lone surrogate into U+FFFD and match
    // bytes that hold a real U+FFFD. Mixed comparisons are rare (an archive event against a built one).
    private static bool EqualsUtf8(string text, ReadOnlySpan<byte> utf8) =>
        Encoding.UTF8.GetCharCount(utf8) == text.Length && string.Equals(Encoding.UTF8.GetString(utf8), text, StringComparison.Ordinal);
}
