using System.Runtime.CompilerServices;
using SovereignTrajectories.Nostr.Codecs;

namespace SovereignTrajectories.Nostr.Events;

/// <summary>
/// An event's <c>sig</c> as <see cref="NostrEvent"/> holds it: the 64 bytes inline when the text is 128
/// lower-case hex characters (every well-formed signature), the text itself otherwise (anything a caller
/// built by hand, null included). A verifier holding a 100,000-event archive kept 28 MB of signature
/// strings, one object per event; inline they are 6.4 MB inside the events. The text is rendered on
/// request and is always exactly the text given.
/// </summary>
internal readonly struct SignatureValue : IEquatable<SignatureValue>
{
    public const int Length = 64;

    private readonly Bytes64 _bytes;
    private readonly string? _text;
    private readonly bool _isBytes;

    private SignatureValue(string? text) => _text = text;

    private SignatureValue(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_bytes);
        _isBytes = true;
    }

    public static SignatureValue FromText(string? text)
    {
        Span<byte> bytes = stackalloc byte[Length];
        return text is not null && Hex.IsLowerHex(text, Length * 2) && Hex.TryDecode(text, bytes)
            ? new SignatureValue(bytes)
            : new SignatureValue(text);
    }

    /// <summary>The signature as the signer produced it: 64 bytes.</summary>
    public static SignatureValue FromBytes(ReadOnlySpan<byte> signature) =>
        signature.Length == Length
            ? new SignatureValue(signature)
            : throw new ArgumentException($"a signature is {Length} bytes, got {signature.Length}", nameof(signature));

    /// <summary>The value of an unescaped JSON string holding 128 lower-case hex digits; false for any other text.</summary>
    public static bool TryFromLowerHex(ReadOnlySpan<byte> utf8, out SignatureValue value)
    {
        Span<byte> bytes = stackalloc byte[Length];
        if (Hex.IsLowerHex(utf8, Length * 2) && Convert.FromHexString(utf8, bytes, out _, out int written) == System.Buffers.OperationStatus.Done && written == Length)
        {
            value = new SignatureValue(bytes);
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Copies the 64 signature bytes when the value is well-formed hex; false otherwise (the text is then not a signature).</summary>
    public bool TryCopyTo(Span<byte> destination)
    {
        if (!_isBytes)
        {
            return false;
        }

        ((ReadOnlySpan<byte>)_bytes).CopyTo(destination);
        return true;
    }

    public string? Text => _isBytes ? Hex.Encode(_bytes) : _text;

    public bool Equals(SignatureValue other) => _isBytes == other._isBytes && (_isBytes
        ? ((ReadOnlySpan<byte>)_bytes).SequenceEqual(other._bytes)
        : string.Equals(_text, other._text, StringComparison.Ordinal));

    public override bool Equals(object? obj) => obj is SignatureValue other && Equals(other);

    public override int GetHashCode()
    {
        if (!_isBytes)
        {
            return _text is null ? 0 : StringComparer.Ordinal.GetHashCode(_text);
        }

        var hash = new HashCode();
        hash.AddBytes(_bytes);
        return hash.ToHashCode();
    }

    public override string ToString() => Text ?? string.Empty;

    [InlineArray(Length)]
    private struct Bytes64
    {
        private byte _first;
    }
}
