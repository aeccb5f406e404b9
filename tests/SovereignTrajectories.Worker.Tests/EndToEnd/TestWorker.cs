using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Worker.Delivery;
using SovereignTrajectories.Worker.Hosting;
using SovereignTrajectories.Worker.Outbox;
using SovereignTrajectories.Worker.Pipeline;

namespace SovereignTrajectories.Worker.Tests.EndToEnd;

/// <summary>
/// A worker host (publishing only, no intake) over a temporary data directory and key file, built
/// with the same <see cref="WorkerHost"/> as <c>sovtraj worker</c>.
/// </summary>
internal sealed class TestWorker : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly bool _ownsDirectory;
    private bool _started;

    private TestWorker(IHost host, string dataDirectory, bool ownsDirectory)
    {
        _host = host;
        DataDirectory = dataDirectory;
        _ownsDirectory = ownsDirectory;
    }

    public string DataDirectory { get; }

    public IServiceProvider Services => _host.Services;

    public TrajectoryPublisher Publisher => Services.GetRequiredService<TrajectoryPublisher>();

    public PublishNotifications Notifications => Services.GetRequiredService<PublishNotifications>();

    public OutboxStore Store => Services.GetRequiredService<OutboxStore>();

    /// <summary>A new data directory with a key file (mode 0600) in it, under <see cref="TestDataRoot"/>.</summary>
    public static string NewDataDirectory()
    {
        string dir = Path.Combine(TestDataRoot.Path, "worker-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        using SecretKey key = TestRuns.Key();
        SecretKey.WriteNewKeyFile(Path.Combine(dir, "agent.key"), key);
        return dir;
    }

    /// <summary>Builds (and, when <paramref name="start"/>, starts) a worker over <paramref name="dataDirectory"/>.</summary>
    public static async Task<TestWorker> CreateAsync(
        IEnumerable<Uri> relays,
        int quorum = 1,
        string? dataDirectory = null,
        bool start = true,
        IDictionary<string, string?>? settings = null)
    {
        string dir = dataDirectory ?? NewDataDirectory();
        var config = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["SovereignTrajectories:DataDirectory"] = dir,
            ["SovereignTrajectories:Key:File"] = Path.Combine(dir, "agent.key"),
            ["SovereignTrajectories:Quorum"] = quorum.ToString(CultureInfo.InvariantCulture),
            ["SovereignTrajectories:Delivery:BaseRetryDelay"] = "00:00:00.200",
            ["SovereignTrajectories:Delivery:MaxRetryDelay"] = "00:00:02",
            ["SovereignTrajectories:Delivery:RateLimitCooldown"] = "00:00:00.500",
        };
        int i = 0;
        foreach (Uri relay in relays)
        {
            config[$"SovereignTrajectories:Relays:{i++}"] = relay.ToString();
        }

        if (settings is not null)
        {
            foreach ((string k, string? v) in settings)
            {
                config[k] = v;
            }
        }

        HostApplicationBuilder builder = WorkerHost.CreateBuilder(null, includeIntake: false, config, LogLevel.Warning);
        IHost host = builder.Build();
        var worker = new TestWorker(host, dir, ownsDirectory: dataDirectory is null);
        if (start)
        {
            await worker.StartAsync().ConfigureAwait(false);
        }

        return worker;
    }

    public async Task StartAsync()
    {
        await _host.StartAsync().ConfigureAwait(false);
        _started = true;
    }

    public async Task StopAsync()
    {
        if (_started)
        {
            _started = false;
            await _host.StopAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        if (_host is IAsyncDisposable d)
        {
            await d.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            _host.Dispose();
        }

        if (_ownsDirectory)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
