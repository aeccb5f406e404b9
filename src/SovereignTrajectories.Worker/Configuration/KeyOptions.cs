namespace SovereignTrajectories.Worker.Configuration;

/// <summary>
/// Where the signing key comes from: a key file (refused when group or others may read it) or, when
/// no file is set, an environment variable. Never the key itself: configuration is logged and shared.
/// </summary>
public sealed class KeyOptions
{
    /// <summary>The default environment variable, the same one the <c>sovtraj</c> commands read.</summary>
    public const string DefaultEnvironmentVariable = "SOVTRAJ_SECRET_KEY";

    /// <summary>Path of a file holding the key (hex or nsec, mode 0600).</summary>
    public string? File { get; set; }

    /// <summary>Environment variable holding the key when <see cref="File"/> is not set.</summary>
    public string EnvironmentVariable { get; set; } = DefaultEnvironmentVariable;
}
