using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SovereignTrajectories.Worker.Hosting;

/// <summary>
/// The standalone host behind <c>sovtraj worker</c> and <c>sovtraj publish</c>: the same services an
/// embedding host gets from <see cref="ServiceCollectionExtensions.AddSovereignTrajectories(IServiceCollection, IConfiguration)"/>.
/// Configuration, later sources winning: appsettings.json in the working directory, the file given
/// with <c>--config</c>, environment variables, then <paramref name="overrides"/> (command-line options).
/// </summary>
public static class WorkerHost
{
    /// <summary>How long the host waits for services to stop (intake first, then in-flight deliveries).</summary>
    public static readonly TimeSpan DefaultShutdownTimeout = TimeSpan.FromSeconds(15);

    public static HostApplicationBuilder CreateBuilder(
        string? configFile,
        bool includeIntake,
        IEnumerable<KeyValuePair<string, string?>>? overrides = null,
        LogLevel minimumLogLevel = LogLevel.Information)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = Environment.CurrentDirectory,
            Args = [],
        });
        if (configFile is not null)
        {
            string path = Path.GetFullPath(configFile);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"{path}: configuration file does not exist", path);
            }

            builder.Configuration.AddJsonFile(path, optional: false, reloadOnChange: false);
            builder.Configuration.AddEnvironmentVariables();
        }

        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        builder.Logging.SetMinimumLevel(minimumLogLevel);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = DefaultShutdownTimeout);
        builder.Services.AddSovereignTrajectories(builder.Configuration, includeIntake);
        return builder;
    }
}
