using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SovereignTrajectories.Worker.Intake;

namespace SovereignTrajectories.Worker.Otlp;

/// <summary>
/// Takes back the spans a crashed run left in the journal, then ends traces whose root span came
/// (after the grace period) or never came (after the idle timeout).
/// </summary>
public sealed class OtlpSweepService : BackgroundService
{
    private readonly OtlpTraceAssembler _assembler;
    private readonly IntakeOptions _options;
    private readonly TimeProvider _time;

    public OtlpSweepService(OtlpTraceAssembler assembler, IOptions<IntakeOptions> options, TimeProvider time)
    {
        _assembler = assembler;
        _options = options.Value;
        _time = time;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Http.Enabled)
        {
            return;
        }

        TimeSpan interval = _options.Otlp.SweepInterval > TimeSpan.Zero ? _options.Otlp.SweepInterval : TimeSpan.FromSeconds(1);
        try
        {
            // Spans an earlier run answered for but did not store; the first sweep ends those already due.
            await _assembler.RestoreAsync(stoppingToken).ConfigureAwait(false);
            while (true)
            {
                await Task.Delay(interval, _time, stoppingToken).ConfigureAwait(false);
                await _assembler.SweepAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: StopAsync stores what is still open.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_options.Http.Enabled && _assembler.OpenTraceCount > 0)
        {
            // The exporter was answered 200 for these spans: persist them rather than lose them.
            await _assembler.SweepAsync(cancellationToken, all: true).ConfigureAwait(false);
        }
    }
}
