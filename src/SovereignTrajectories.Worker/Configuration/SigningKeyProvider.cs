using Microsoft.Extensions.Options;
using SovereignTrajectories.Nostr.Keys;

namespace SovereignTrajectories.Worker.Configuration;

/// <summary>
/// Holds the worker's signing key, loaded once from the configured file or environment variable.
/// The key never leaves this object except to sign; <see cref="SecretKey.ToString"/> is redacted.
/// </summary>
public sealed class SigningKeyProvider : IDisposable
{
    private readonly Lazy<SecretKey> _key;

    public SigningKeyProvider(IOptions<SovereignTrajectoriesOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        KeyOptions keyOptions = options.Value.Key;
        _key = new Lazy<SecretKey>(() => Load(keyOptions), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>A provider over a key the caller already holds (the CLI, tests); it is disposed with the provider.</summary>
    public SigningKeyProvider(SecretKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _key = new Lazy<SecretKey>(key);
    }

    /// <summary>The key.</summary>
    public SecretKey Key => _key.Value;

    /// <summary>The key's public half as lower-case hex.</summary>
    public string PublicKeyHex => Key.PublicKey.Hex;

    /// <summary>Loads a key as <paramref name="options"/> say; throws <see cref="KeyLoadException"/> naming the source.</summary>
    public static SecretKey Load(KeyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrEmpty(options.File))
        {
            return SecretKey.LoadFromFile(Path.GetFullPath(options.File));
        }

        if (string.IsNullOrEmpty(options.EnvironmentVariable))
        {
            throw new KeyLoadException("no key file and no environment variable configured");
        }

        return SecretKey.FromEnvironment(options.EnvironmentVariable);
    }

    public void Dispose()
    {
        if (_key.IsValueCreated)
        {
            _key.Value.Dispose();
        }
    }
}
