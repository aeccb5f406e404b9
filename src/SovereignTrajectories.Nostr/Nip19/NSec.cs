using System.Security.Cryptography;
using System.Text;

namespace SovereignTrajectories.Nostr.Nip19;

/// <summary>
/// A bare secret key (<c>nsec</c>). Held as bytes and never printed: the record's generated
/// ToString would otherwise put the key into logs.
/// </summary>
public sealed record NSec : Nip19Entity
{
    private readonly byte[] _secretKey;

    public NSec(ReadOnlySpan<byte> secretKey)
    {
        if (secretKey.Length != 32)
        {
            throw new ArgumentException($"a secret key is 32 bytes, got {secretKey.Length}", nameof(secretKey));
        }

        _secretKey = secretKey.ToArray();
    }

    public override string Prefix => Nip19Codec.NsecPrefix;

    /// <summary>The 32 secret bytes. Callers own keeping them out of logs.</summary>
    public ReadOnlySpan<byte> SecretKey => _secretKey;

    public bool Equals(NSec? other) =>
        other is not null && CryptographicOperations.FixedTimeEquals(_secretKey, other._secretKey);

    public override int GetHashCode() => Prefix.GetHashCode(StringComparison.Ordinal);

    protected override bool PrintMembers(StringBuilder builder)
    {
        builder.Append("SecretKey = [redacted]");
        return true;
    }
}
