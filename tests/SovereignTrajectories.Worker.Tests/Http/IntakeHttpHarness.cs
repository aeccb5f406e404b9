using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SovereignTrajectories.Worker.Feedback;
using SovereignTrajectories.Worker.Http;
using SovereignTrajectories.Worker.Intake;
using SovereignTrajectories.Worker.Otlp;
using SovereignTrajectories.Worker.Tests.Intake;

namespace SovereignTrajectories.Worker.Tests.Http;

/// <summary>The HTTP receiver on a free loopback port over a <see cref="RecordingSink"/>, with a client.</summary>
internal sealed class IntakeHttpHarness : IAsyncDisposable
{
    private IntakeHttpServer? _server;
    private OtlpSweepService? _sweep;

    private IntakeHttpHarness(TimeProvider time, IWorkerStatusSource? status, Action<IntakeOptions>? configure)
    {
        Time = time;
        var options = new IntakeOptions();
        options.Http.Url = "http://127.0.0.1:0";
        options.Otlp.RootGracePeriod = TimeSpan.Zero;
        configure?.Invoke(options);
        var committer = new TrajectoryCommitter(Sink, new SessionLocks());
        Assembler = new OtlpTraceAssembler(committer, Monitor, options.Otlp, time, NullLogger<OtlpTraceAssembler>.Instance);
        var feedback = new FeedbackService(committer, Monitor, time, NullLogger<FeedbackService>.Instance);
        var services = new ServiceCollection();
        if (status is not null)
        {
            services.AddSingleton(status);
        }

        _server = new IntakeHttpServer(Options.Create(options), Assembler, feedback, Monitor, services.BuildServiceProvider(), time, NullLoggerFactory.Instance);
        if (options.Otlp.RootGracePeriod > TimeSpan.Zero)
        {
            // The grace period is served by the sweep, as in the worker.
            _sweep = new OtlpSweepService(Assembler, Options.Create(options), time);
        }
    }

    public RecordingSink Sink { get; } = new();

    public IntakeMonitor Monitor { get; } = new();

    public OtlpTraceAssembler Assembler { get; }

    public TimeProvider Time { get; }

    public HttpClient Client { get; private set; } = null!;

    public Uri BaseAddress => Client.BaseAddress!;

    /// <summary>Starts the receiver; the OTLP root grace period is zero unless <paramref name="configure"/> sets one.</summary>
    public static async Task<IntakeHttpHarness> StartAsync(TimeProvider? time = null, IWorkerStatusSource? status = null, Action<IntakeOptions>? configure = null)
    {
        var harness = new IntakeHttpHarness(time ?? TimeProvider.System, status, configure);
        await harness._server!.StartAsync(CancellationToken.None);
        if (harness._sweep is not null)
        {
            await harness._sweep.StartAsync(CancellationToken.None);
        }

        harness.Client = new HttpClient { BaseAddress = await harness._server.Address };
        return harness;
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (_sweep is not null)
        {
            await _sweep.StopAsync(CancellationToken.None);
            _sweep.Dispose();
            _sweep = null;
        }

        if (_server is not null)
        {
            await _server.StopAsync(CancellationToken.None);
            await _server.DisposeAsync();
            _server = null;
        }

        Monitor.Dispose();
    }
}
