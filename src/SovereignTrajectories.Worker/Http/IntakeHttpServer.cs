using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SovereignTrajectories.Worker.Feedback;
using SovereignTrajectories.Worker.Intake;
using SovereignTrajectories.Worker.Otlp;

namespace SovereignTrajectories.Worker.Http;

/// <summary>
/// The worker's HTTP receiver, an ASP.NET Core minimal API on its own Kestrel server inside the
/// worker's generic host (so an agent's host embedding the publisher needs no web stack of its
/// own): <c>POST /v1/traces</c>, <c>POST /v1/feedback</c>, <c>GET /status</c>.
/// </summary>
public sealed partial class IntakeHttpServer : IHostedService, IAsyncDisposable
{
    private readonly HttpIntakeOptions _options;
    private readonly OtlpTraceAssembler _assembler;
    private readonly FeedbackService _feedback;
    private readonly IntakeMonitor _monitor;
    private readonly IWorkerStatusSource? _status;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger<IntakeHttpServer> _logger;
    private readonly TaskCompletionSource<Uri> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication? _app;

    public IntakeHttpServer(
        IOptions<IntakeOptions> options,
        OtlpTraceAssembler assembler,
        FeedbackService feedback,
        IntakeMonitor monitor,
        IServiceProvider services,
        TimeProvider time,
        ILoggerFactory loggerFactory)
    {
        _options = options.Value.Http;
        _assembler = assembler;
        _feedback = feedback;
        _monitor = monitor;
        _status = services.GetService<IWorkerStatusSource>()
            ?? (services.GetService<Outbox.OutboxStore>() is { } store ? new OutboxStoreStatusSource(store) : null);
        _time = time;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<IntakeHttpServer>();
    }

    /// <summary>The address it listens on (the real port when configured with port 0), once started.</summary>
    public Task<Uri> Address => _address.Task;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_options.Enabled)
        {
            _address.TrySetCanceled(CancellationToken.None);
            return;
        }

        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton(_loggerFactory);
        builder.Services.AddRoutingCore();
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            // Bodies are read and limited by the endpoints (after decompression); let Kestrel allow the raw size.
            k.Limits.MaxRequestBodySize = _options.MaxBodyBytes;
        });
        builder.WebHost.UseUrls(_options.Url);
        WebApplication app = builder.Build();
        app.UseRouting();
        long maxBody = _options.MaxBodyBytes;
        app.MapPost("/v1/traces", (HttpContext context) => OtlpEndpoint.HandleAsync(context, _assembler, maxBody));
        app.MapPost("/v1/feedback", (HttpContext context) => FeedbackEndpoint.HandleAsync(context, _feedback, _monitor));
        app.MapGet("/status", (HttpContext context) => StatusEndpoint.HandleAsync(context, _monitor, _status, _time));
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            var failure = new InvalidOperationException($"SovereignTrajectories:Intake:Http:Url: cannot listen on {_options.Url}: {ex.Message}", ex);
            _address.TrySetException(failure);
            throw failure;
        }

        _app = app;
        string bound = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? _options.Url;
        var uri = new Uri(bound);
        LogListening(uri);
        _address.TrySetResult(uri);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            _app = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "intake HTTP receiver listening on {Address} (POST /v1/traces, POST /v1/feedback, GET /status)")]
    private partial void LogListening(Uri address);
}
