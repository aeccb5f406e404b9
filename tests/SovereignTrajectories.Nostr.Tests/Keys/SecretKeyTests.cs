using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Nostr.Tests.Events;

namespace SovereignTrajectories.Nostr.Tests.Keys;

public sealed class SecretKeyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sovtraj-keys-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>True when <paramref name="text"/> holds any 8-character run of the key's hex or nsec (either case).</summary>
    private static bool Leaks(string text, string hex, string nsec)
    {
        string lower = text.ToLowerInvariant();
        foreach (string secret in new[] { hex, nsec[5..] })
        {
            for (int i = 0; i + 8 <= secret.Length; i++)
            {
                if (lower.Contains(secret.Substring(i, 8), StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }

    [Fact]
    public void Nip01_vector_secret_derives_the_vector_pubkey_and_npub()
    {
        using SecretKey key = SecretKey.FromHex(Nip01Vectors.SecretHex);
        Assert.Equal(Nip01Vectors.PubKey, key.PublicKey.Hex);
        Assert.Equal(Nip01Vectors.Npub, key.PublicKey.ToNpub());
    }

    [Fact]
    public void Hex_and_nsec_forms_round_trip()
    {
        using SecretKey key = SecretKey.Generate();
        using SecretKey fromHex = SecretKey.Parse(key.RevealHex());
        using SecretKey fromNsec = SecretKey.Parse("  " + key.RevealNsec() + "\n");
        using SecretKey fromUpperHex = SecretKey.FromHex(key.RevealHex().ToUpperInvariant());
        Assert.Equal(key.PublicKey, fromHex.PublicKey);
        Assert.Equal(key.PublicKey, fromNsec.PublicKey);
        Assert.Equal(key.PublicKey, fromUpperHex.PublicKey);
        Assert.StartsWith("nsec1", key.RevealNsec(), StringComparison.Ordinal);
    }

    [Fact]
    public void To_string_is_redacted()
    {
        using SecretKey key = SecretKey.Generate();
        Assert.Equal("SecretKey(<redacted>)", key.ToString());
        Assert.Equal("SecretKey(<redacted>)", $"{key}");
    }

    [Fact]
    public void Errors_never_contain_key_material()
    {
        using SecretKey key = SecretKey.Generate();
        string hex = key.RevealHex();
        string nsec = key.RevealNsec();
        string[] bad =
        [
            hex[..63],
            hex + "0",
            hex[..62] + "zz",
            nsec[..^1] + (nsec[^1] == 'q' ? 'p' : 'q'),
            nsec[..^2],
            "nsec1" + hex,
        ];
        foreach (string input in bad)
        {
            var ex = Assert.Throws<KeyLoadException>(() => SecretKey.Parse(input));
            Assert.False(Leaks(ex.ToString(), hex, nsec), $"message leaks key material: {ex.GetType().Name}");
        }
    }

    [Fact]
    public void Out_of_range_secret_is_refused()
    {
        Assert.Throws<KeyLoadException>(() => SecretKey.FromHex(new string('0', 64)));
        Assert.Throws<KeyLoadException>(() => SecretKey.FromHex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"));
    }

    [Fact]
    public void Npub_given_as_a_secret_is_refused_with_a_clear_message()
    {
        var ex = Assert.Throws<KeyLoadException>(() => SecretKey.Parse(Nip01Vectors.Npub));
        Assert.Contains("npub", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Disposed_key_cannot_be_used_or_revealed()
    {
        SecretKey key = SecretKey.Generate();
        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => key.RevealHex());
        Assert.Throws<ObjectDisposedException>(() => key.PublicKey);
    }

    [Fact]
    public void Dispose_zeroes_the_secret_bytes()
    {
        SecretKey key = SecretKey.Generate();
        ReadOnlySpan<byte> before = key.SecretSpan;
        Assert.Contains(before.ToArray(), b => b != 0);
        var field = typeof(SecretKey).GetField("_secret", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!;
        byte[] storage = (byte[])field.GetValue(key)!;
        key.Dispose();
        Assert.All(storage, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Key_file_readable_by_group_or_others_is_refused()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // file modes are a Unix concept
        }

        using SecretKey key = SecretKey.Generate();
        string path = Path.Combine(_dir, "open.key");
        File.WriteAllText(path, key.RevealHex());
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var ex = Assert.Throws<KeyLoadException>(() => SecretKey.LoadFromFile(path));
        Assert.Equal($"key file '{path}' is readable by group or others (mode 0644); run: chmod 600 {path}", ex.Message);
    }

    [Fact]
    public void Key_file_writable_by_group_is_refused()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // file modes are a Unix concept
        }

        using SecretKey key = SecretKey.Generate();
        string path = Path.Combine(_dir, "groupw.key");
        File.WriteAllText(path, key.RevealHex());
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupWrite);
        var ex = Assert.Throws<KeyLoadException>(() => SecretKey.LoadFromFile(path));
        Assert.Contains("(mode 0620)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Key_file_with_mode_600_is_loaded_with_whitespace_trimmed()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // file modes are a Unix concept
        }

        using SecretKey key = SecretKey.Generate();
        string path = Path.Combine(_dir, "ok.key");
        File.WriteAllText(path, "\n  " + key.RevealNsec() + "  \r\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using SecretKey loaded = SecretKey.LoadFromFile(path);
        Assert.Equal(key.PublicKey, loaded.PublicKey);
    }

    [Fact]
    public void Key_file_with_garbage_names_the_file_and_not_its_content()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // file modes are a Unix concept
        }

        string path = Path.Combine(_dir, "garbage.key");
        File.WriteAllText(path, "0123456789abcdef0123456789abcdef-not-a-key");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var ex = Assert.Throws<KeyLoadException>(() => SecretKey.LoadFromFile(path));
        Assert.StartsWith($"key file '{path}'", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("0123456789abcdef", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_key_file_is_named()
    {
        string path = Path.Combine(_dir, "absent.key");
        Assert.Equal($"key file '{path}' does not exist", Assert.Throws<KeyLoadException>(() => SecretKey.LoadFromFile(path)).Message);
    }

    [Fact]
    public void New_key_file_is_created_with_mode_600_and_loads_back()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // file modes are a Unix concept
        }

        using SecretKey key = SecretKey.Generate();
        string path = Path.Combine(_dir, "new.key");
        SecretKey.WriteNewKeyFile(path, key);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        using SecretKey loaded = SecretKey.LoadFromFile(path);
        Assert.Equal(key.PublicKey, loaded.PublicKey);
    }

    [Fact]
    public void New_key_file_never_overwrites_an_existing_file()
    {
        using SecretKey key = SecretKey.Generate();
        string path = Path.Combine(_dir, "taken.key");
        File.WriteAllText(path, "keep me");
        var ex = Assert.Throws<IOException>(() => SecretKey.WriteNewKeyFile(path, key));
        Assert.Contains("already exists", ex.Message, StringComparison.Ordinal);
        Assert.Equal("keep me", File.ReadAllText(path));
    }

    [Fact]
    public void Key_from_environment_variable_loads_and_errors_name_the_variable()
    {
        using SecretKey key = SecretKey.Generate();
        string name = "SOVTRAJ_TEST_KEY_" + Guid.NewGuid().ToString("N");
        try
        {
            Environment.SetEnvironmentVariable(name, key.RevealNsec());
            using SecretKey loaded = SecretKey.FromEnvironment(name);
            Assert.Equal(key.PublicKey, loaded.PublicKey);

            Environment.SetEnvironmentVariable(name, key.RevealHex()[..40]);
            var bad = Assert.Throws<KeyLoadException>(() => SecretKey.FromEnvironment(name));
            Assert.StartsWith($"environment variable '{name}'", bad.Message, StringComparison.Ordinal);
            Assert.False(Leaks(bad.Message, key.RevealHex(), key.RevealNsec()));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }

        Assert.Equal($"environment variable '{name}' is not set", Assert.Throws<KeyLoadException>(() => SecretKey.FromEnvironment(name)).Message);
    }
}
