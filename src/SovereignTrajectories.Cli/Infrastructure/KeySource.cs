using System.CommandLine;
using SovereignTrajectories.Nostr.Keys;

namespace SovereignTrajectories.Cli.Infrastructure;

/// <summary>
/// Where a command gets its signing key: <c>--key FILE</c> (mode 0600 checked) or, when absent,
/// the <see cref="EnvironmentVariable"/> variable. Never a command-line value, so keys stay out of shell history.
/// </summary>
internal static class KeySource
{
    public const string EnvironmentVariable = "SOVTRAJ_SECRET_KEY";

    public static Option<FileInfo?> CreateOption(bool required = false) => new("--key")
    {
        Description = $"File holding the secret key (hex or nsec, mode 0600). Default: the {EnvironmentVariable} environment variable.",
        Required = required,
    };

    public static SecretKey Load(FileInfo? file)
    {
        if (file is not null)
        {
            return SecretKey.LoadFromFile(file.FullName);
        }

        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(EnvironmentVariable)))
        {
            return SecretKey.FromEnvironment(EnvironmentVariable);
        }

        throw new CliUsageException($"no signing key: pass --key FILE or set {EnvironmentVariable}");
    }
}
