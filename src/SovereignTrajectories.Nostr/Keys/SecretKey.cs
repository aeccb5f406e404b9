using System.Security.Cryptography;
using System.Text;
using SovereignTrajectories.Nostr.Crypto;
using SovereignTrajectories.Nostr.Nip19;

namespace SovereignTrajectories.Nostr.Keys;

/// <summary>
/// A secp256k1 secret key. The 32 bytes and libsecp256k1's derived keypair live in arrays on the
/// pinned heap (so the GC never leaves copies behind) and are zeroed on <see cref="Dispose"/>.
/// Nothing about the key reaches <see cref="ToString"/> or any exception message; only
/// <see cref="RevealHex"/> and <see cref="RevealNsec"/>, named so that their use stands out, expose it.
/// </summary>
public sealed unsafe class SecretKey : IDisposable
{
    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private readonly byte[] _secret = GC.AllocateArray<byte>(32, pinned: true);
    private readonly byte[] _keypair = GC.AllocateArray<byte>(Secp256k1Native.KeypairSize, pinned: true);
    private readonly PublicKey _publicKey;
    private bool _disposed;

    /// <summary>Takes a copy of <paramref name="secret32"/>; the caller still owns (and should zero) its own buffer.</summary>
    private SecretKey(ReadOnlySpan<byte> secret32, string source)
    {
        secret32.CopyTo(_secret);
        nint ctx = Secp256k1Context.Handle;
        byte* xonly = stackalloc byte[Secp256k1Native.XOnlyPubKeySize];
        Span<byte> pub = stackalloc byte[32];
        fixed (byte* s = _secret)
        fixed (byte* kp = _keypair)
        fixed (byte* p = pub)
        {
            // keypair_create also rejects zero and values not below the curve order.
            if (Secp256k1Native.secp256k1_keypair_create(ctx, kp, s) != 1)
            {
                Dispose();
                throw new KeyLoadException($"{source} is not a valid secp256k1 secret key (zero or not below the curve order)");
            }

            Secp256k1Native.secp256k1_keypair_xonly_pub(ctx, xonly, null, kp);
            Secp256k1Native.secp256k1_xonly_pubkey_serialize(ctx, p, xonly);
        }

        _publicKey = new PublicKey(Convert.ToHexStringLower(pub));
    }

    /// <summary>The matching x-only public key.</summary>
    public PublicKey PublicKey
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _publicKey;
        }
    }

    /// <summary>The 32 secret bytes, for the crypto layer only.</summary>
    internal ReadOnlySpan<byte> SecretSpan
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _secret;
        }
    }

    /// <summary>libsecp256k1's keypair (secret plus cached public point), so signing skips a scalar multiplication.</summary>
    internal ReadOnlySpan<byte> KeypairSpan
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _keypair;
        }
    }

    /// <summary>A new key from the operating system's CSPRNG.</summary>
    public static SecretKey Generate()
    {
        Span<byte> candidate = stackalloc byte[32];
        try
        {
            while (true)
            {
                RandomNumberGenerator.Fill(candidate);
                if (IsValidSecret(candidate))
                {
                    return new SecretKey(candidate, "generated key");
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(candidate);
        }
    }

    /// <summary>A key from 64 hex characters (either case).</summary>
    public static SecretKey FromHex(string hex) => FromHex(hex, "secret key");

    /// <summary>A key from its NIP-19 <c>nsec1...</c> form.</summary>
    public static SecretKey FromNsec(string nsec) => FromNsec(nsec, "secret key");

    /// <summary>A key from 64 hex characters or an <c>nsec1...</c> string; surrounding whitespace is ignored.</summary>
    public static SecretKey Parse(string hexOrNsec) => Parse(hexOrNsec, "secret key");

    /// <summary>
    /// Loads a key file holding hex or an nsec (whitespace trimmed). On Unix a file whose mode grants
    /// group or others any permission is refused, as ssh does for private keys.
    /// </summary>
    public static SecretKey LoadFromFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string source = $"key file '{path}'";
        if (!File.Exists(path))
        {
            throw new KeyLoadException($"{source} does not exist");
        }

        if (!OperatingSystem.IsWindows())
        {
            UnixFileMode mode = File.GetUnixFileMode(path);
            if ((mode & GroupOrOthers) != 0)
            {
                string octal = Convert.ToString((int)mode & 0xFFF, 8).PadLeft(4, '0');
                string access = (mode & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0
                    ? "is readable by group or others"
                    : "grants group or others access";
                throw new KeyLoadException($"{source} {access} (mode {octal}); run: chmod 600 {path}");
            }
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException ex)
        {
            throw new KeyLoadException($"{source} cannot be read: {ex.Message}", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new KeyLoadException($"{source} cannot be read: {ex.Message}", ex);
        }

        try
        {
            return Parse(System.Text.Encoding.UTF8.GetString(bytes), source);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>Loads a key (hex or nsec) from an environment variable.</summary>
    public static SecretKey FromEnvironment(string variableName)
    {
        ArgumentException.ThrowIfNullOrEmpty(variableName);
        string source = $"environment variable '{variableName}'";
        string? value = Environment.GetEnvironmentVariable(variableName);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new KeyLoadException($"{source} is not set");
        }

        return Parse(value, source);
    }

    /// <summary>
    /// Writes <paramref name="key"/> as an nsec to a new file created with mode 0600 in one step (the
    /// file never exists with wider permissions). Refuses to overwrite an existing file.
    /// </summary>
    public static void WriteNewKeyFile(string path, SecretKey key)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(key);
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        FileStream stream;
        try
        {
            stream = new FileStream(path, options);
        }
        catch (IOException ex) when (File.Exists(path))
        {
            throw new IOException($"key file '{path}' already exists; refusing to overwrite it", ex);
        }

        byte[] content = System.Text.Encoding.ASCII.GetBytes(key.RevealNsec() + "\n");
        try
        {
            using (stream)
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(content);
        }
    }

    /// <summary>The key as an <c>nsec1...</c> string. Only key generation and export should call this.</summary>
    public string RevealNsec() => Nip19Codec.EncodeNsec(SecretSpan);

    /// <summary>The key as 64 lower-case hex characters. Only key generation and export should call this.</summary>
    public string RevealHex() => Convert.ToHexStringLower(SecretSpan);

    public override string ToString() => "SecretKey(<redacted>)";

    public void Dispose()
    {
        _disposed = true;
        CryptographicOperations.ZeroMemory(_secret);
        CryptographicOperations.ZeroMemory(_keypair);
    }

    private static bool IsValidSecret(ReadOnlySpan<byte> secret32)
    {
        nint ctx = Secp256k1Context.Handle;
        fixed (byte* s = secret32)
        {
            return Secp256k1Native.secp256k1_ec_seckey_verify(ctx, s) == 1;
        }
    }

    private static SecretKey Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        if (trimmed.StartsWith(Nip19Codec.NsecPrefix + "1", StringComparison.OrdinalIgnoreCase))
        {
            return FromNsec(trimmed, source);
        }

        if (trimmed.StartsWith(Nip19Codec.NpubPrefix + "1", StringComparison.OrdinalIgnoreCase))
        {
            throw new KeyLoadException($"{source} holds an npub (a public key); a secret key (nsec1... or 64 hex characters) is needed");
        }

        return FromHex(trimmed, source);
    }

    private static SecretKey FromHex(string hex, string source)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (hex.Length != 64)
        {
            throw new KeyLoadException($"{source} must be 64 hex characters or an nsec1... string, got {hex.Length} characters");
        }

        Span<byte> secret = stackalloc byte[32];
        try
        {
            if (!Codecs.Hex.TryDecode(hex, secret))
            {
                throw new KeyLoadException($"{source} has 64 characters but not all are hex digits");
            }

            return new SecretKey(secret, source);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    private static SecretKey FromNsec(string nsec, string source)
    {
        ArgumentNullException.ThrowIfNull(nsec);
        byte[] decoded;
        try
        {
            decoded = Nip19Codec.DecodeNsec(nsec.Trim());
        }
        catch (FormatException)
        {
            // The decoder's own message could quote part of the input, so it is neither shown nor chained.
            throw new KeyLoadException($"{source} is not a valid nsec (wrong prefix, bech32 checksum or length)");
        }
        catch (ArgumentException)
        {
            throw new KeyLoadException($"{source} is not a valid nsec (wrong prefix, bech32 checksum or length)");
        }

        try
        {
            return new SecretKey(decoded, source);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(decoded);
        }
    }
}
